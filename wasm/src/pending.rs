//! Tokens between `WasmVerifier::prepare` and the host's `release`: the core
//! keeps each `Prepared` in a numbered slot, so the host holds only the slot's
//! number. A JavaScript object per token (a wasm-bindgen class instance, with
//! its finalizer registered and unregistered) cost more than the rest of the
//! crossing.

use jwtguard::Prepared;

/// One slot's state. A finished token keeps its slot until the host releases
/// it, so that a release after `finish` never frees a slot that another
/// token has taken meanwhile.
enum Slot {
    Free,
    Prepared(Prepared),
    Finished,
}

/// The slots of one verifier. Tokens awaiting the host's crypto at once each
/// hold one; released slots are reused, so the table is as long as the most
/// tokens that were ever in flight together.
#[derive(Default)]
pub(crate) struct Pending {
    slots: Vec<Slot>,
    free: Vec<usize>,
}

impl Pending {
    /// Keeps `prepared` in a free slot; returns the slot's number.
    pub(crate) fn hold(&mut self, prepared: Prepared) -> usize {
        match self.free.pop() {
            Some(number) => {
                if let Some(slot) = self.slots.get_mut(number) {
                    *slot = Slot::Prepared(prepared);
                }
                number
            }
            None => {
                self.slots.push(Slot::Prepared(prepared));
                self.slots.len() - 1
            }
        }
    }

    /// Takes slot `number`'s token for `finish`; `None` when the slot holds
    /// none (never prepared, already finished, or released).
    pub(crate) fn take(&mut self, number: u32) -> Option<Prepared> {
        let slot = self.slots.get_mut(number as usize)?;
        match std::mem::replace(slot, Slot::Finished) {
            Slot::Prepared(prepared) => Some(prepared),
            other => {
                *slot = other;
                None
            }
        }
    }

    /// Frees slot `number`, finished or not; a free slot stays free.
    pub(crate) fn release(&mut self, number: u32) {
        let index = number as usize;
        if let Some(slot) = self.slots.get_mut(index)
            && !matches!(slot, Slot::Free)
        {
            *slot = Slot::Free;
            self.free.push(index);
        }
    }
}
