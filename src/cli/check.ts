/**
 * `cdk8s-istio-traffic check PATH...`: checks the Istio VirtualServices and DestinationRules and the Gateway API
 * HTTPRoutes in YAML files and directories as one set, with the rules the library applies at synth, the
 * Gateways they are bound to and the Services they route to.
 * For CI, the exit status follows a failure threshold and accepted findings can be suppressed, as with
 * `istioctl analyze`.
 */
import { loadManifests } from './manifests';
import { isSuppressed, parseSuppression, Suppression } from './suppressions';
import { runCommand, UsageError } from './usage';
import { q } from '../private/errors';
import { sarifLog } from '../private/validation/sarif';
import { Severity } from '../validation/finding';
import { IstioChecker } from '../validation/istio-checker';

const USAGE = `usage: cdk8s-istio-traffic check [--format text|json|sarif] [--failure-threshold LEVEL] [--suppress CODE[=OBJECT]]... [--root-namespace NAME] PATH...

Checks every networking.istio.io VirtualService and DestinationRule (v1, v1beta1, v1alpha3) and every
gateway.networking.k8s.io HTTPRoute (v1, v1beta1) in the YAML files and directories given, as one set,
with the Gateways and Services among them: when the set defines Gateways, the gateways the
VirtualServices name must be among them and serve their hosts; when it defines an HTTPRoute's Services,
its backendRefs must name Services of the set. Other kinds are ignored.
Prints one line per finding:
  SEVERITY CODE Kind namespace/name field: message
Objects without a namespace are shown and checked as in "default". After the summary (on stderr), a
"see:" line names the codes found. \`cdk8s-istio-traffic rules CODE\` explains one: what Istio does with
such an object, and the fix; \`cdk8s-istio-traffic rules\` lists every rule.

options:
  --format FORMAT            text (default), json, or sarif (SARIF 2.1.0, for GitHub code scanning:
                             each finding at the line where its object starts)
  --failure-threshold LEVEL  the lowest severity that fails the check, as in istioctl analyze: error
                             (default), warning or info
  --suppress CODE            accept every finding of the rule CODE; repeat for more
  --suppress CODE=Kind/namespace/name
                             accept the findings of CODE on one object only, e.g.
                             XO_SUBSET_NOT_FOUND=VirtualService/shop/reviews
  --root-namespace NAME      Istio's root namespace (meshConfig.rootNamespace; default istio-system), whose
                             DestinationRules apply to callers that find none in their own namespace or
                             the host's
Suppressed findings are neither printed nor counted; the summary says how many there were.

example, in CI for a pull request whose DestinationRules are deployed from another repository:
  cdk8s-istio-traffic check dist/ --failure-threshold warning --suppress XO_SUBSET_NOT_FOUND

exit status: 0 no finding at or above the failure threshold (by default: no errors), 1 some,
2 unreadable input or bad arguments`;

// Severities from the most to the least serious: a threshold fails on its own and those before it.
const THRESHOLDS = [Severity.ERROR, Severity.WARNING, Severity.INFO];

/** Runs the command; returns the exit code. */
export function check(args: string[]): number {
  return runCommand('check', USAGE, args, parseArgs, run);
}

interface Options {
  readonly paths: string[];
  readonly format: string;
  readonly failureThreshold: Severity;
  readonly suppressions: Suppression[];
  readonly rootNamespace?: string;
}

function parseArgs(args: string[]): Options {
  let format = 'text';
  let threshold = Severity.ERROR;
  let rootNamespace: string | undefined;
  const suppressions: Suppression[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const option = /^(--format|--failure-threshold|--suppress|--root-namespace)(?:=(.*))?$/.exec(arg);
    if (option) {
      const value = option[2] ?? args[++i];
      if (value === undefined) throw new UsageError(`${option[1]} needs a value`);
      if (option[1] === '--format') {
        format = value;
        if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format ${q(format)}; use text, json or sarif`);
      } else if (option[1] === '--failure-threshold') {
        // istioctl analyze writes the levels capitalized (Error); accept any case.
        const level = THRESHOLDS.find((t) => t === value.toLowerCase());
        if (level === undefined) throw new UsageError(`unknown failure threshold ${q(value)}; use error, warning or info`);
        threshold = level;
      } else if (option[1] === '--root-namespace') {
        if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
          throw new UsageError(`--root-namespace ${q(value)} is not a namespace name; use a lowercase DNS label such as istio-system`);
        }
        rootNamespace = value;
      } else {
        suppressions.push(parseSuppression(value));
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${q(arg)}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError('name at least one file or directory');
  return { paths, format, failureThreshold: threshold, suppressions, rootNamespace };
}

function run(options: Options): number {
  const loaded = loadManifests(options.paths);
  // The checker orders its findings by object, and objects come in file order: file, then object, then field.
  const all = IstioChecker.check(loaded.map((m) => m.object), { rootNamespace: options.rootNamespace }).map((f) => ({
    severity: f.severity,
    code: f.code,
    kind: f.kind,
    namespace: f.namespace ?? 'default',
    name: f.name,
    file: loaded[f.index].file,
    line: loaded[f.index].line,
    field: f.field,
    message: f.message,
  }));
  const findings = all.filter((f) => !isSuppressed(options.suppressions, f));
  if (options.format === 'json') {
    console.log(JSON.stringify(findings, undefined, 2));
  } else if (options.format === 'sarif') {
    console.log(JSON.stringify(sarifLog(findings), undefined, 2));
  } else {
    for (const f of findings) console.log(`${f.severity.toUpperCase()} ${f.code} ${f.kind} ${f.namespace}/${f.name} ${f.field}: ${f.message}`);
  }
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const checked = loaded.filter((m) => IstioChecker.isChecked(m.object)).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const suppressed = all.length - findings.length;
  console.error(`${plural(checked, 'Istio object')} checked: ${plural(count(Severity.ERROR), 'error')}, ${plural(count(Severity.WARNING), 'warning')}, ${count(Severity.INFO)} info`
    + (suppressed > 0 ? ` (${suppressed} suppressed)` : ''));
  if (options.format === 'text' && findings.length > 0) console.error(seeRules(findings));
  return findings.some((f) => THRESHOLDS.indexOf(f.severity) <= THRESHOLDS.indexOf(options.failureThreshold)) ? 1 : 0;
}

/** The line that points at the documentation of the codes found, errors first. */
function seeRules(findings: { severity: Severity; code: string }[]): string {
  const codes = [...new Set(THRESHOLDS.flatMap((severity) => findings.filter((f) => f.severity === severity).map((f) => f.code)))];
  return codes.length === 1 ? `see: cdk8s-istio-traffic rules ${codes[0]}` : `see: cdk8s-istio-traffic rules CODE, for CODE in ${codes.join(', ')}`;
}
