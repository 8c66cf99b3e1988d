// The short form of the identity-provider fault soak (`make test-soak`): one
// lap of the fault schedule on the Node verifier and on the Worker middleware
// in workerd at once, 50 requests in flight each. `make soak` is the long form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkReport, soak, summary } from './run.mjs';

test('one lap of identity-provider faults: no valid token refused outside the rules, no forged one accepted, fetches within bounds, heap flat', async () => {
  const reports = await Promise.all(['node', 'workerd'].map((runtime) => soak({ runtime, laps: 1, concurrency: 50 })));
  for (const report of reports) {
    console.log(summary(report));
    assert.deepEqual(checkReport(report), [], `${report.runtime}: ${summary(report)}`);
    // The outage outlasts max age + staleIfError: some valid tokens must be refused there, by the rules.
    assert.ok(report.validRefusedExcused > 0, `${report.runtime}: the outage refused no valid token, so it was not longer than the keys stay usable`);
    assert.ok(report.fetches.flood.fetches >= 1, `${report.runtime}: the flood caused no fetch at all`);
  }
});
