/**
 * An FP-tree in typed arrays (Han, Pei & Yin 2000): node 0 is the root; node i has `item[i]`,
 * `count[i]` and `parent[i]`. Children are found through an open-addressing hash on
 * (parent, item) while the tree is built, so there is no per-node object anywhere.
 * After {@link finishTree}, the nodes of item y are `nodes[itemStart[y] .. itemStart[y + 1])`
 * (the classic header table), and `itemCount[y]` is the support of y in the tree.
 * A tree's arrays are reused from one conditional tree to the next at the same depth, so memory
 * stays near the size of the largest tree at each depth.
 */
export interface FpTree {
  /** Number of items; they are 0 .. items-1, ranked so that paths run from low to high item. */
  items: number;
  /** Number of nodes, root included. */
  size: number;
  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  hashParent: Int32Array;
  hashItem: Int32Array;
  hashNode: Int32Array;
  hashMask: number;
  itemStart: Int32Array;
  nodes: Int32Array;
  itemCount: Int32Array;
  /** The global rank of each tree item. */
  label: Int32Array;
}

/** A tree with room for nothing yet; {@link resetTree} sizes it. */
export function emptyTree(): FpTree {
  const z = new Int32Array(0);
  return {
    items: 0, size: 0, item: z, count: z, parent: z, hashParent: z, hashItem: z, hashNode: z,
    hashMask: 0, itemStart: z, nodes: z, itemCount: z, label: z,
  };
}

function room(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, Math.ceil(a.length * 1.5)));
}

/** Empties `tree` for `items` items and at most `maxNodes` nodes (root included). */
export function resetTree(tree: FpTree, items: number, maxNodes: number): void {
  tree.items = items;
  tree.item = room(tree.item, maxNodes);
  tree.count = room(tree.count, maxNodes);
  tree.parent = room(tree.parent, maxNodes);
  tree.nodes = room(tree.nodes, maxNodes);
  let hashSize = 16;
  while (hashSize < maxNodes * 2) hashSize *= 2;
  if (tree.hashNode.length < hashSize) {
    tree.hashParent = new Int32Array(hashSize);
    tree.hashItem = new Int32Array(hashSize);
    tree.hashNode = new Int32Array(hashSize);
  }
  tree.hashMask = hashSize - 1;
  tree.hashNode.fill(-1, 0, hashSize);
  tree.itemStart = room(tree.itemStart, items + 1);
  tree.itemCount = room(tree.itemCount, items);
  tree.label = room(tree.label, items);
  tree.size = 1;
  tree.item[0] = -1;
  tree.count[0] = 0;
  tree.parent[0] = -1;
}

/**
 * Adds a path with weight `weight`; its items are `path[from]`, `path[from + step]`, … for `length`
 * items, ascending.
 */
export function insertPath(tree: FpTree, path: Int32Array, from: number, step: number, length: number, weight: number): void {
  const { item, count, parent, hashParent, hashItem, hashNode, hashMask } = tree;
  let node = 0;
  let k = 0;
  let at = from;
  // Follow existing nodes as far as the path is shared.
  for (; k < length; k++, at += step) {
    const y = path[at] as number;
    let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) & hashMask;
    let found = -1;
    for (;;) {
      const v = hashNode[slot] as number;
      if (v < 0) break;
      if (hashParent[slot] === node && hashItem[slot] === y) {
        found = v;
        break;
      }
      slot = (slot + 1) & hashMask;
    }
    if (found < 0) break;
    count[found] = (count[found] as number) + weight;
    node = found;
  }
  // The rest of the path is new: append nodes without looking them up.
  for (; k < length; k++, at += step) {
    const y = path[at] as number;
    const fresh = tree.size++;
    item[fresh] = y;
    count[fresh] = weight;
    parent[fresh] = node;
    let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) & hashMask;
    while ((hashNode[slot] as number) >= 0) slot = (slot + 1) & hashMask;
    hashParent[slot] = node;
    hashItem[slot] = y;
    hashNode[slot] = fresh;
    node = fresh;
  }
}

/** Builds the header table (nodes grouped by item) and the item supports. O(nodes + items). */
export function finishTree(tree: FpTree): void {
  const { items, size, item, count, itemStart, nodes, itemCount } = tree;
  itemStart.fill(0, 0, items + 1);
  itemCount.fill(0, 0, items);
  for (let i = 1; i < size; i++) {
    const y = item[i] as number;
    itemStart[y + 1] = (itemStart[y + 1] as number) + 1;
    itemCount[y] = (itemCount[y] as number) + (count[i] as number);
  }
  for (let y = 0; y < items; y++) itemStart[y + 1] = (itemStart[y + 1] as number) + (itemStart[y] as number);
  // Fill back to front so each item's nodes stay in creation order; afterwards itemStart[y + 1]
  // holds the start of y, so shift it left by one.
  for (let i = size - 1; i >= 1; i--) {
    const y = item[i] as number;
    const at = (itemStart[y + 1] as number) - 1;
    itemStart[y + 1] = at;
    nodes[at] = i;
  }
  for (let y = 0; y < items; y++) itemStart[y] = itemStart[y + 1] as number;
  itemStart[items] = size - 1;
}
