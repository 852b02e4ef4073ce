import { HostRouting } from './host-routing';
import { SubsetShare } from './subset-share';
import { renderDiffMarkdown, renderDiffText } from '../private/routing/diff-render';

/** What changed in the routing of one host between two manifest sets. */
export interface HostRoutingChange {
  /** The host, as the routing model names it. */
  readonly host: string;

  /** `added` (only after), `removed` (only before) or `changed`. */
  readonly status: string;

  /**
   * The change in one line: what a typical request (no special headers or cookies) gets before and after,
   * e.g. `typical request: v1 95% → 75%, v2 5% → 25%`.
   */
  readonly summary: string;

  /** Each change in words, host facts first, then rule by rule: `rule public (#2): v1 95% → 75%, v2 5% → 25%`. */
  readonly changes: string[];

  /** Where a typical request went before; empty when the host was not routed or got no destination. */
  readonly typicalBefore: SubsetShare[];

  /** Where a typical request goes after; empty when the host is no longer routed or gets no destination. */
  readonly typicalAfter: SubsetShare[];

  /** Changes of the Prometheus alerts that watch this host (alerts added, removed or changed). */
  readonly alerts: string[];
}

/** Options of `RoutingDiff.toMarkdown()`. */
export interface RoutingDiffMarkdownOptions {
  /**
   * Add a Mermaid flowchart of each changed host's new routing.
   * @default false
   */
  readonly mermaid?: boolean;

  /**
   * The heading of the comment.
   * @default 'Routing changes'
   */
  readonly title?: string;
}

/**
 * The difference in routing between two manifest sets (see `RoutingModel.diff()`), per host: rules added,
 * removed, reordered or made unreachable, shares, mirrors, timeouts, retries, faults, header operations,
 * subsets, traffic policies and version cookies, with the share of a typical request each subset receives
 * before and after. Hosts whose routing did not change are left out.
 */
export class RoutingDiff {
  /** @internal */
  public static _of(hosts: HostRoutingChange[], otherAlerts: string[], after: HostRouting[]): RoutingDiff {
    return new RoutingDiff(hosts, otherAlerts, after);
  }

  /** The hosts whose routing changed, appeared or disappeared, sorted by host. */
  public readonly hosts: HostRoutingChange[];

  /** Changes of alerts that watch no host of either side, or only hosts whose routing did not change. */
  public readonly otherAlerts: string[];

  private readonly after: HostRouting[];

  private constructor(hosts: HostRoutingChange[], otherAlerts: string[], after: HostRouting[]) {
    this.hosts = hosts;
    this.otherAlerts = otherAlerts;
    this.after = after;
  }

  /** Whether any host's routing changed (alert changes alone do not count). */
  public get changed(): boolean {
    return this.hosts.length > 0;
  }

  /** The changes for a terminal: per host its summary line, then each change and alert, indented. */
  public toText(): string {
    return renderDiffText(this.hosts, this.otherAlerts);
  }

  /**
   * The changes as Markdown for a pull-request comment: a table per host (before → after of a typical
   * request, then each change), and optionally a Mermaid flowchart of each changed host's new routing.
   * @param options what to include
   */
  public toMarkdown(options: RoutingDiffMarkdownOptions = {}): string {
    return renderDiffMarkdown(this.hosts, this.otherAlerts, this.after, options);
  }

  /** The changes as plain data for tools: `{ changed, hosts, otherAlerts }`. */
  public toJson(): any {
    return { changed: this.changed, hosts: this.hosts, otherAlerts: this.otherAlerts };
  }
}
