/** What `diffInputs` answers, written once for the specs that table its rules. */

/** No change at all. */
export const NO_CHANGE = { changes: false, deleteBeforeReplace: false };
/** A change applied in place. */
export const UPDATE = { changes: true, deleteBeforeReplace: false };
/** A replacement, forced by the given properties. */
export const replace = (...replaces: string[]) => ({ changes: true, replaces, deleteBeforeReplace: false });
