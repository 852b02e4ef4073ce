/**
 * The checker's findings as a SARIF 2.1.0 log, the format GitHub code scanning and other review tools read
 * to annotate a pull request: each finding at its file and line, each rule described by its code with the
 * documentation `cdk8s-istio-traffic rules CODE` prints.
 */
import { Code, RULES } from './catalog';
import { Severity } from '../../validation/finding';
import { ruleDocumentation } from '../bundled';

/** A finding as the CLI reports it, with where its object starts. */
export interface LocatedFinding {
  readonly severity: Severity;
  readonly code: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly file: string;
  /** 1-based line where the object's document starts. */
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

const RULES_URL = 'https://github.com/cdk8s-istio-traffic/cdk8s-istio-traffic/blob/main/docs/checks.md#rules';

// SARIF has error, warning and note; Istio's info is a note.
const LEVEL = { [Severity.ERROR]: 'error', [Severity.WARNING]: 'warning', [Severity.INFO]: 'note' };

/** The SARIF log of one run of the checker; rules are listed in the order their findings first appear. */
export function sarifLog(findings: LocatedFinding[]): object {
  const codes = [...new Set(findings.map((f) => f.code))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-istio-traffic',
          informationUri: RULES_URL,
          rules: codes.map(ruleDescriptor),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: codes.indexOf(f.code),
        level: LEVEL[f.severity],
        message: { text: `${f.kind} ${f.namespace}/${f.name} ${f.field}: ${f.message}` },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: fileUri(f.file) },
            region: { startLine: f.line },
          },
          logicalLocations: [{ fullyQualifiedName: `${f.kind}/${f.namespace}/${f.name}/${f.field}`, kind: 'object' }],
        }],
        // The same finding on the same object keeps its identity when lines move.
        partialFingerprints: { objectField: `${f.code}:${f.kind}/${f.namespace}/${f.name}:${f.field}` },
      })),
    }],
  };
}

function ruleDescriptor(code: string): object {
  const known = (RULES as { [c: string]: unknown })[code] !== undefined;
  if (!known) return { id: code, shortDescription: { text: code } };
  const [severity, family, summary] = RULES[code as Code];
  const doc = ruleDocumentation().docs[code as Code];
  return {
    id: code,
    shortDescription: { text: summary },
    fullDescription: { text: doc.finds },
    help: {
      text: `${doc.istio}\n\nFix: ${doc.fix}\n\nSeverity follows: ${ruleDocumentation().sources[doc.source]}`,
    },
    helpUri: RULES_URL,
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { family, source: doc.source },
  };
}

// Relative paths become relative URIs (resolved against the repository root by code scanning); Windows
// separators become slashes, and characters outside URIs are percent-encoded.
function fileUri(file: string): string {
  return file.split(/[\\/]/).map((part) => encodeURIComponent(part)).join('/').replace(/^\.\//, '');
}
