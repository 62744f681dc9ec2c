/**
 * How deep a JSON value nests (a scalar is 0, `{}` or `[]` is 1), computed iteratively so the
 * value under test may be one nested 100,000 levels. Independent of src/event/bounded-json.ts on
 * purpose: it is the oracle the depth bound is checked against.
 */
export function depthOf(root: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    max = Math.max(max, depth + 1);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return max;
}
