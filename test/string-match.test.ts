/** StringMatch: what each factory writes in a match condition, and the values it rejects. */
import { Destination, RouteMatch, StringMatch } from '../src';
import { checkoutRoute, httpRules } from './fixtures';

/** The first rule's conditions after a route with one matched rule on `condition` and a default. */
function rendered(condition: RouteMatch) {
  const { chart, routes, v1, v2 } = checkoutRoute();
  routes.addRule('r', { match: [condition], to: Destination.subset(v2) });
  routes.addDefaultRule('d', { to: Destination.subset(v1) });
  return httpRules(chart)[0].match;
}

/** Adds a rule matching on `condition`; throws what the route rejects. */
function addRule(condition: RouteMatch) {
  const { routes, v2 } = checkoutRoute();
  routes.addRule('r', { match: [condition], to: Destination.subset(v2) });
}

describe('StringMatch', () => {
  test.each([
    ['exact', StringMatch.exact('true'), { exact: 'true' }],
    ['prefix', StringMatch.prefix('qa-'), { prefix: 'qa-' }],
    ['regex', StringMatch.regex('(?i)chrome.*'), { regex: '(?i)chrome.*' }],
    ['present', StringMatch.present(), {}],
  ])('%s in headers', (_name, value, expected) => {
    expect(rendered({ headers: { 'x-client': value } })).toEqual([{ headers: { 'x-client': expected } }]);
  });

  test('the same values in uri, queryParams and withoutHeaders', () => {
    expect(rendered({
      uri: StringMatch.prefix('/api'),
      queryParams: { canary: StringMatch.exact('1'), debug: StringMatch.present() },
      withoutHeaders: { 'x-opt-out': StringMatch.present(), 'x-team': StringMatch.regex('ops-.*') },
    })).toEqual([{
      uri: { prefix: '/api' },
      queryParams: { canary: { exact: '1' }, debug: {} },
      withoutHeaders: { 'x-opt-out': {}, 'x-team': { regex: 'ops-.*' } },
    }]);
  });

  test('regex takes RE2 syntax that JavaScript lacks, through the checker\'s parser', () => {
    expect(rendered({ uri: StringMatch.regex('/(?i:api)/v\\d+\\z') })).toEqual([{ uri: { regex: '/(?i:api)/v\\d+\\z' } }]);
  });
});

describe('StringMatch errors', () => {
  test.each([
    ['an invalid regex', { headers: { 'x-a': StringMatch.regex('([a-z') } }, /test\/routes: rules\["r"\]\.match\[0\]\.headers\["x-a"\]: "\(\[a-z" is not a valid regular expression/],
    ['a lookahead', { uri: StringMatch.regex('/(?!admin).*') }, /test\/routes: rules\["r"\]\.match\[0\]\.uri: .*lookaround or a backreference, which RE2/],
    ['an empty regex', { uri: StringMatch.regex('') }, /test\/routes: rules\["r"\]\.match\[0\]\.uri: the regex is empty.*StringMatch\.present\(\)/],
    ['an empty prefix', { uri: StringMatch.prefix('') }, /test\/routes: rules\["r"\]\.match\[0\]\.uri: an empty prefix matches every value.*StringMatch\.present\(\)/],
    ['an empty prefix in queryParams', { queryParams: { a: StringMatch.prefix('') } }, /match\[0\]\.queryParams\["a"\]: an empty prefix matches every value/],
  ])('%s', (_name, condition, message) => {
    expect(() => addRule(condition)).toThrow(message);
  });
});
