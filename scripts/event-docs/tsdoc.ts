/**
 * Reads the TSDoc of the canonical event types (src/event/types.ts) with the TypeScript compiler,
 * as a map from an interface's field path (`media.mimeType`, `errors[].code`) to its description.
 * The types file is the contract's prose; reading it here keeps the generated reference and the
 * editor tooltips saying the same thing.
 */
import ts from 'typescript';

/** Field path → description, per top-level interface name (`MessageEvent`, `EventBase`, …). */
export type FieldDocs = Map<string, Map<string, string>>;

const MAX_DEPTH = 4;

/**
 * The text of the JSDoc comment right before a declaration, read from the source rather than
 * through the compiler's tag parser: that parser reads prose such as "users @-mentioned" as a
 * tag and cuts the description there. `{@link X}` becomes `X`; tags (`@example`, …) end it.
 */
function commentOf(node: ts.Node | undefined): string {
  if (node === undefined) return '';
  const source = node.getSourceFile().getFullText();
  const ranges = ts.getLeadingCommentRanges(source, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => source.startsWith('/**', r.pos)).pop();
  if (last === undefined) return '';
  const lines = source
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, ''));
  const end = lines.findIndex((line) => /^@[a-zA-Z]/.test(line));
  return (end === -1 ? lines : lines.slice(0, end))
    .join(' ')
    .replace(/\{@link\s+([^}\s|]+)[^}]*\}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The documentation of the named type a declaration refers to (`media?: MessageMedia` → MessageMedia's). */
function referencedDoc(checker: ts.TypeChecker, node: ts.TypeNode | undefined): string {
  if (node === undefined) return '';
  const target = ts.isArrayTypeNode(node) ? node.elementType : node;
  if (!ts.isTypeReferenceNode(target)) return '';
  const symbol = checker.getSymbolAtLocation(target.typeName);
  return commentOf(symbol?.declarations?.[0]);
}

function isPlainObject(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.Object) !== 0;
}

function walk(checker: ts.TypeChecker, type: ts.Type, prefix: string, out: Map<string, string>, depth: number): void {
  for (const prop of checker.getPropertiesOfType(type)) {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    if (decl === undefined) continue;
    const path = prefix + prop.name;
    const typeNode = ts.isPropertySignature(decl) ? decl.type : undefined;
    out.set(path, commentOf(decl));
    const ref = referencedDoc(checker, typeNode);
    if (ref !== '') out.set(`${path}#type`, ref);
    if (depth >= MAX_DEPTH) continue;
    const propType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, decl));
    if (checker.isArrayType(propType)) {
      const element = checker.getTypeArguments(propType as ts.TypeReference)[0];
      if (element !== undefined && isPlainObject(element)) walk(checker, element, `${path}[].`, out, depth + 1);
    } else if (isPlainObject(propType) && checker.getPropertiesOfType(propType).length > 0) {
      walk(checker, propType, `${path}.`, out, depth + 1);
    }
  }
}

/**
 * The field docs of the given exported interfaces of `typesFile`. A field's own TSDoc is stored
 * under its path; the TSDoc of the named type it refers to, if any, under `path#type`.
 *
 * @example
 * ```ts
 * const docs = readFieldDocs('src/event/types.ts', ['StatusEvent']);
 * docs.get('StatusEvent')?.get('providerStatus'); // "The provider's raw status value (…)"
 * ```
 */
export function readFieldDocs(typesFile: string, interfaces: readonly string[]): FieldDocs {
  const program = ts.createProgram([typesFile], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(typesFile);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`cannot read ${typesFile}`);
  const exported = checker.getExportsOfModule(moduleSymbol);
  const docs: FieldDocs = new Map();
  for (const name of interfaces) {
    const symbol = exported.find((s) => s.name === name);
    if (symbol === undefined) throw new Error(`${typesFile} exports no ${name}`);
    const out = new Map<string, string>();
    walk(checker, checker.getDeclaredTypeOfSymbol(symbol), '', out, 0);
    docs.set(name, out);
  }
  return docs;
}
