/**
 * Freezes a fitted model: the instance itself (so no property can be reassigned, added or
 * deleted, and its prototype cannot be swapped) and every plain object and array reachable
 * from its own properties. Every model constructor ends with it, so a model cannot change
 * after `fit` or `fromJSON`.
 *
 * Typed arrays cannot be frozen by the language; a model keeps them in `#private` fields or
 * hands out copies, and the contract suite checks that none is reachable from a model.
 * The cost is O(size of the reachable plain data).
 *
 * @returns The same object, frozen.
 * @example
 * ```ts
 * import { freezeModel } from '@crm/core';
 * class Model {
 *   readonly params: { r: number };
 *   constructor(r: number) {
 *     this.params = { r };
 *     freezeModel(this);
 *   }
 * }
 * const m = new Model(1);
 * Object.isFrozen(m) && Object.isFrozen(m.params); // true
 * ```
 */
export function freezeModel<T extends object>(model: T): T {
  if (model !== null && typeof model === 'object') deepFreeze(model, new Set());
  return model;
}

// An object frozen by someone else may still hold unfrozen parts, so frozen objects are
// descended too; `seen` stops cycles.
function deepFreeze(value: object, seen: Set<object>): void {
  if (ArrayBuffer.isView(value) || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  if (Array.isArray(value)) {
    // Elements by index: listing the keys of a long array would cost a string per element. Model
    // arrays are built by the model itself, so they hold no accessors and no named properties.
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') deepFreeze(v, seen);
    }
    return;
  }
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    const v: unknown = d?.value;
    if (v !== null && typeof v === 'object') deepFreeze(v, seen);
  }
}

