/**
 * The README shows `cdk8s-istio-traffic explain` on the example app and its Mermaid diagram. Both are
 * regenerated here from examples/checkout's chart, so the README cannot drift from the code: when the
 * routing changes, this test fails and prints the block to paste.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'cdk8s';
import { mermaidErrors } from './mermaid-grammar';
import { CheckoutChart } from '../examples/checkout/checkout';
import { RoutingModel } from '../src/routing/routing-model';

const START = '<!-- explain:checkout:start -->';
const END = '<!-- explain:checkout:end -->';

const model = RoutingModel.fromChart(new CheckoutChart(new App(), 'checkout'));
const expected = [
  START,
  '```text',
  '$ cdk8s-istio-traffic explain examples/checkout/dist',
  model.toText().trimEnd(),
  '```',
  '',
  '```mermaid',
  model.toMermaid().trimEnd(),
  '```',
  END,
].join('\n');

test('README shows the explain output and diagram of the example app as the code renders them today', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf-8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start || readme.indexOf(START, start + 1) >= 0) {
    throw new Error(`README.md needs exactly one block between ${START} and ${END}; add it to the section "Reviewing a release: the routing table":\n\n${expected}\n`);
  }
  const actual = readme.slice(start, end + END.length);
  if (actual !== expected) {
    throw new Error(`README.md's explain block is out of date; replace it with:\n\n${expected}\n`);
  }
  expect(actual).toBe(expected);
});

test('the README\'s diagram is inside Mermaid\'s flowchart grammar', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf-8');
  const diagram = new RegExp(`${START}[\\s\\S]*?\`\`\`mermaid\n([\\s\\S]*?)\`\`\``).exec(readme);
  expect(diagram).not.toBeNull();
  expect(mermaidErrors(diagram![1])).toEqual([]);
});
