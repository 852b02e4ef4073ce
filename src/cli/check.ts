/**
 * `cdk8s-istio-traffic check PATH...`: checks the Istio VirtualServices and DestinationRules in YAML files
 * and directories as one set, with the rules the library applies at synth.
 */
import { loadManifests } from './manifests';
import { Severity } from '../validation/finding';
import { IstioChecker } from '../validation/istio-checker';

const USAGE = `usage: cdk8s-istio-traffic check [--format text|json] [--root-namespace NAME] PATH...

Checks every networking.istio.io VirtualService and DestinationRule (v1, v1beta1, v1alpha3) in the YAML
files and directories given, as one set; other kinds are ignored. Prints one line per finding:
  SEVERITY CODE Kind namespace/name field: message
Objects without a namespace are shown and checked as in "default". --root-namespace names Istio's root
namespace (meshConfig.rootNamespace, default istio-system), whose DestinationRules apply to callers that
find none in their own namespace or the host's. After the summary (on stderr), a
"see:" line names the codes found. \`cdk8s-istio-traffic rules CODE\` explains one: what Istio does with
such an object, and the fix; \`cdk8s-istio-traffic rules\` lists every rule.

exit status: 0 no errors (warnings allowed), 1 errors found, 2 unreadable input or bad arguments`;

/** Runs the command; returns the exit code. */
export function check(args: string[]): number {
  let format = 'text';
  let rootNamespace: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg === '--format' || arg.startsWith('--format=')) {
      format = arg === '--format' ? args[++i] ?? '' : arg.slice('--format='.length);
      if (format !== 'text' && format !== 'json') {
        console.error(`cdk8s-istio-traffic check: unknown format ${JSON.stringify(format)}; use text or json\n\n${USAGE}`);
        return 2;
      }
    } else if (arg === '--root-namespace' || arg.startsWith('--root-namespace=')) {
      rootNamespace = arg === '--root-namespace' ? args[++i] ?? '' : arg.slice('--root-namespace='.length);
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(rootNamespace)) {
        console.error(`cdk8s-istio-traffic check: --root-namespace ${JSON.stringify(rootNamespace)} is not a namespace name; use a lowercase DNS label such as istio-system\n\n${USAGE}`);
        return 2;
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      console.error(`cdk8s-istio-traffic check: unknown option ${JSON.stringify(arg)}\n\n${USAGE}`);
      return 2;
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) {
    console.error(`cdk8s-istio-traffic check: name at least one file or directory\n\n${USAGE}`);
    return 2;
  }

  const loaded = loadManifests(paths);
  // The checker orders its findings by object, and objects come in file order: file, then object, then field.
  const findings = IstioChecker.check(loaded.map((m) => m.object), { rootNamespace }).map((f) => ({
    severity: f.severity,
    code: f.code,
    kind: f.kind,
    namespace: f.namespace ?? 'default',
    name: f.name,
    file: loaded[f.index].file,
    field: f.field,
    message: f.message,
  }));
  if (format === 'json') {
    console.log(JSON.stringify(findings, undefined, 2));
  } else {
    for (const f of findings) console.log(`${f.severity.toUpperCase()} ${f.code} ${f.kind} ${f.namespace}/${f.name} ${f.field}: ${f.message}`);
  }
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const checked = loaded.filter((m) => IstioChecker.isChecked(m.object)).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.error(`${plural(checked, 'Istio object')} checked: ${plural(count(Severity.ERROR), 'error')}, ${plural(count(Severity.WARNING), 'warning')}, ${count(Severity.INFO)} info`);
  if (format === 'text' && findings.length > 0) console.error(seeRules(findings));
  return count(Severity.ERROR) > 0 ? 1 : 0;
}

/** The line that points at the documentation of the codes found, errors first. */
function seeRules(findings: { severity: Severity; code: string }[]): string {
  const order = [Severity.ERROR, Severity.WARNING, Severity.INFO];
  const codes = [...new Set(order.flatMap((severity) => findings.filter((f) => f.severity === severity).map((f) => f.code)))];
  return codes.length === 1 ? `see: cdk8s-istio-traffic rules ${codes[0]}` : `see: cdk8s-istio-traffic rules CODE, for CODE in ${codes.join(', ')}`;
}
