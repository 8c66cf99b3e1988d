import { withAuth } from '@jwtguard/jwtguard/next';
import { options, settings, whoami } from '../../../policy.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = withAuth(whoami, options, settings);
