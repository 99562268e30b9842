// Finds user-facing text in the web app that is not in a message catalogue: JSX text, and string
// or template literals that reach JSX children or a user-facing attribute (title, aria-label,
// placeholder, alt, label) without going through `t(…)`. `npx tsx scripts/i18n-literals.ts [dir]`
// lists them; test/web/catalogues.test.ts fails when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface Literal {
  file: string;
  line: number;
  text: string;
}

const USER_FACING_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label', 'aria-roledescription']);
/** Elements whose text is code, not language (identifiers, formats, paths). */
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp']);
const LETTERS = /\p{L}{2,}/u;

function files(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return dir.endsWith('.tsx') ? [dir] : [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'generated') out.push(...files(path));
    } else if (path.endsWith('.tsx')) out.push(path);
  }
  return out;
}

function tagName(node: ts.Node): string | null {
  if (ts.isJsxElement(node)) return node.openingElement.tagName.getText();
  return null;
}

/** Does a literal's value flow, unchanged, to JSX children or a user-facing attribute? */
function reachesUser(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (parent) {
    if (ts.isParenthesizedExpression(parent) || ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent)) {
      // passes through
    } else if (ts.isConditionalExpression(parent)) {
      if (child === parent.condition) return false;
    } else if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (
        op !== ts.SyntaxKind.BarBarToken &&
        op !== ts.SyntaxKind.QuestionQuestionToken &&
        op !== ts.SyntaxKind.AmpersandAmpersandToken &&
        op !== ts.SyntaxKind.PlusToken
      )
        return false;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && child === parent.left) return false;
    } else if (ts.isJsxExpression(parent)) {
      const holder = parent.parent;
      if (ts.isJsxAttribute(holder)) return USER_FACING_ATTRIBUTES.has(holder.name.getText());
      const tag = tagName(holder);
      return !(tag && CODE_ELEMENTS.has(tag));
    } else if (ts.isJsxAttribute(parent)) {
      return USER_FACING_ATTRIBUTES.has(parent.name.getText());
    } else return false;
    child = parent;
    parent = parent.parent;
  }
  return false;
}

/** The untranslated user-facing strings of the .tsx files under `dir`. */
export function untranslatedLiterals(dir: string, root = dir): Literal[] {
  const found: Literal[] = [];
  for (const file of files(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const report = (node: ts.Node, text: string) =>
      found.push({
        file: relative(root, file),
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        text: text.replace(/\s+/g, ' ').trim().slice(0, 80),
      });
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node)) {
        const tag = tagName(node.parent);
        if (LETTERS.test(node.text) && !(tag && CODE_ELEMENTS.has(tag))) report(node, node.text);
      } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && LETTERS.test(node.text) && reachesUser(node)) {
        report(node, node.text);
      } else if (ts.isTemplateExpression(node) && reachesUser(node)) {
        const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…');
        if (LETTERS.test(text)) report(node, text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  const dir = process.argv[2] ?? 'web/src';
  const found = untranslatedLiterals(dir, process.cwd());
  for (const l of found) console.log(`${l.file}:${l.line}: ${l.text}`);
  console.log(`${found.length} untranslated string(s)`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
