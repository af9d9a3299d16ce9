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

function grown(a: Int32Array, used: number, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a.subarray(0, used));
  return b;
}

/**
 * Trees start with room for this many nodes and grow by doubling: the bound the caller knows (the
 * number of path items) is often far above the size of the compressed tree.
 */
const INITIAL_NODES = 1024;

function hashSlot(parent: number, item: number, mask: number): number {
  return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(item, 0x85ebca77)) & mask;
}

/** Uses a hash table of `size` slots (a power of two) and re-enters every node into it. */
function rehash(tree: FpTree, size: number): void {
  if (tree.hashNode.length < size) {
    tree.hashParent = new Int32Array(size);
    tree.hashItem = new Int32Array(size);
    tree.hashNode = new Int32Array(size);
  }
  const { hashParent, hashItem, hashNode, item, parent } = tree;
  const mask = size - 1;
  tree.hashMask = mask;
  hashNode.fill(-1, 0, size);
  for (let i = 1; i < tree.size; i++) {
    const p = parent[i] as number;
    const y = item[i] as number;
    let slot = hashSlot(p, y, mask);
    while ((hashNode[slot] as number) >= 0) slot = (slot + 1) & mask;
    hashParent[slot] = p;
    hashItem[slot] = y;
    hashNode[slot] = i;
  }
}

/** Empties `tree` for `items` items and at most `maxNodes` nodes (root included). */
export function resetTree(tree: FpTree, items: number, maxNodes: number): void {
  tree.items = items;
  const start = Math.min(maxNodes, INITIAL_NODES);
  tree.item = room(tree.item, start);
  tree.count = room(tree.count, start);
  tree.parent = room(tree.parent, start);
  tree.itemStart = room(tree.itemStart, items + 1);
  tree.itemCount = room(tree.itemCount, items);
  tree.label = room(tree.label, items);
  tree.size = 1;
  tree.item[0] = -1;
  tree.count[0] = 0;
  tree.parent[0] = -1;
  let hashSize = 16;
  while (hashSize < start * 2) hashSize *= 2;
  rehash(tree, hashSize);
}

/** Appends a node and enters it in the hash, growing arrays and table as needed. */
function addNode(tree: FpTree, parent: number, item: number, weight: number): number {
  const fresh = tree.size;
  if (fresh >= tree.item.length) {
    const n = tree.item.length * 2;
    tree.item = grown(tree.item, fresh, n);
    tree.count = grown(tree.count, fresh, n);
    tree.parent = grown(tree.parent, fresh, n);
  }
  tree.item[fresh] = item;
  tree.count[fresh] = weight;
  tree.parent[fresh] = parent;
  tree.size = fresh + 1;
  // Keep the table at most half full.
  if (tree.size * 2 > tree.hashMask + 1) {
    rehash(tree, (tree.hashMask + 1) * 2);
    return fresh;
  }
  const { hashParent, hashItem, hashNode, hashMask } = tree;
  let slot = hashSlot(parent, item, hashMask);
  while ((hashNode[slot] as number) >= 0) slot = (slot + 1) & hashMask;
  hashParent[slot] = parent;
  hashItem[slot] = item;
  hashNode[slot] = fresh;
  return fresh;
}

/**
 * Adds a path with weight `weight`; its items are `path[from]`, `path[from + step]`, … for `length`
 * items, ascending.
 */
export function insertPath(tree: FpTree, path: Int32Array, from: number, step: number, length: number, weight: number): void {
  const { count, hashParent, hashItem, hashNode, hashMask } = tree;
  let node = 0;
  let k = 0;
  let at = from;
  // Follow existing nodes as far as the path is shared.
  for (; k < length; k++, at += step) {
    const y = path[at] as number;
    let slot = hashSlot(node, y, hashMask);
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
  for (; k < length; k++, at += step) node = addNode(tree, node, path[at] as number, weight);
}

/** Builds the header table (nodes grouped by item) and the item supports. O(nodes + items). */
export function finishTree(tree: FpTree): void {
  tree.nodes = room(tree.nodes, tree.size);
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
