import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DestinationRuleSpecTrafficPolicyLoadBalancer, DestinationRuleSpecTrafficPolicyLoadBalancerSimple } from './imports/istio-networking.istio.io';
import { checkHeaderName, checkInteger, istioDuration, report } from './private/checks';
import { fail } from './private/errors';
import { maglevTableSizeFinding } from './private/validation/traffic-policy-checks';

/** Options of a cookie used as a consistent-hash key. */
export interface HashCookieOptions {
  /**
   * Path of the cookie.
   * @default - no path attribute
   */
  readonly path?: string;

  /**
   * Lifetime of the cookie. With a ttl, Envoy generates the cookie on the first response when the
   * request has none, so affinity starts from the first request.
   * @default - no ttl: a request without the cookie produces no hash and goes to a random pod
   */
  readonly ttl?: Duration;
}

/**
 * What a consistent-hash load balancer hashes on.
 *
 * Consistent hashing gives *pod* affinity inside the subset a route chose. It does not keep a user on a
 * version during a weighted split: Envoy picks the subset at random on every request, before hashing.
 * For version affinity use `StickySplit`.
 */
export class HashKey {
  /**
   * Hash on a request header, e.g. a session id. A request without the header produces no hash and
   * goes to a random pod.
   * @param name lowercase header name
   */
  public static httpHeader(name: string): HashKey {
    return new HashKey({ header: name });
  }

  /**
   * Hash on a cookie.
   * @param name cookie name
   */
  public static httpCookie(name: string, options: HashCookieOptions = {}): HashKey {
    return new HashKey({ cookie: name, cookieOptions: options });
  }

  /** Hash on the client's source IP address. */
  public static sourceIp(): HashKey {
    return new HashKey({ sourceIp: true });
  }

  /**
   * Hash on a query parameter.
   * @param name query parameter name
   */
  public static queryParameter(name: string): HashKey {
    return new HashKey({ queryParameter: name });
  }

  private constructor(private readonly key: {
    readonly header?: string;
    readonly cookie?: string;
    readonly cookieOptions?: HashCookieOptions;
    readonly sourceIp?: boolean;
    readonly queryParameter?: string;
  }) {}

  /** @internal */
  public _toIstio(scope: IConstruct, field: string) {
    if (this.key.header !== undefined) checkHeaderName(scope, field, this.key.header);
    if (this.key.cookie !== undefined && this.key.cookie === '') fail(scope, field, 'the cookie name is empty; name the cookie to hash on');
    if (this.key.queryParameter === '') fail(scope, field, 'the query parameter name is empty; name the parameter to hash on');
    const options = this.key.cookieOptions ?? {};
    return {
      httpHeaderName: this.key.header,
      httpCookie: this.key.cookie === undefined ? undefined : {
        name: this.key.cookie,
        path: options.path,
        ttl: options.ttl === undefined ? undefined : istioDuration(scope, field, options.ttl),
      },
      useSourceIp: this.key.sourceIp,
      httpQueryParameterName: this.key.queryParameter,
    };
  }
}

/** The hash ring Envoy builds for consistent hashing. */
export class HashAlgorithm {
  /**
   * Ketama ring hash.
   * @param minimumRingSize minimum number of virtual nodes on the ring (Envoy's default: 1024)
   */
  public static ringHash(minimumRingSize?: number): HashAlgorithm {
    return new HashAlgorithm('ringHash', minimumRingSize);
  }

  /**
   * Maglev: faster lookups and less memory than a ring, at the cost of more disruption when pods change.
   * @param tableSize lookup table size: a prime below 5000011
   * @default 65537 (Envoy's default, written out: Istio requires the size)
   */
  public static maglev(tableSize?: number): HashAlgorithm {
    return new HashAlgorithm('maglev', tableSize);
  }

  private constructor(private readonly kind: 'ringHash' | 'maglev', private readonly size?: number) {}

  /** @internal */
  public _toIstio(scope: IConstruct, field: string) {
    if (this.kind === 'ringHash') {
      if (this.size !== undefined) checkInteger(scope, field, this.size, 1, Number.MAX_SAFE_INTEGER);
      return { ringHash: { minimumRingSize: this.size } };
    }
    // Istio's webhook requires the size, so Envoy's default is written when none is given.
    const tableSize = this.size ?? MAGLEV_DEFAULT_TABLE_SIZE;
    checkInteger(scope, field, tableSize, 1, Number.MAX_SAFE_INTEGER);
    report(scope, field, maglevTableSizeFinding(tableSize));
    return { maglev: { tableSize } };
  }
}

const MAGLEV_DEFAULT_TABLE_SIZE = 65537;

/** Options of consistent-hash load balancing. */
export interface ConsistentHashOptions {
  /**
   * The hash ring.
   * @default - Envoy's ring hash with its default size
   */
  readonly algorithm?: HashAlgorithm;
}

/** How the sidecar spreads requests over the pods of a subset. */
export class LoadBalancer {
  /** Round robin over healthy pods. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer(DestinationRuleSpecTrafficPolicyLoadBalancerSimple.ROUND_UNDERSCORE_ROBIN);
  }

  /** Prefer pods with fewer outstanding requests (Istio's default). */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer(DestinationRuleSpecTrafficPolicyLoadBalancerSimple.LEAST_UNDERSCORE_REQUEST);
  }

  /** A random healthy pod. */
  public static random(): LoadBalancer {
    return new LoadBalancer(DestinationRuleSpecTrafficPolicyLoadBalancerSimple.RANDOM);
  }

  /** Forward to the address the caller asked for, without load balancing. */
  public static passthrough(): LoadBalancer {
    return new LoadBalancer(DestinationRuleSpecTrafficPolicyLoadBalancerSimple.PASSTHROUGH);
  }

  /**
   * Consistent hashing: requests with the same key go to the same pod of the chosen subset (pod affinity).
   *
   * This is not version affinity. In a weighted split Envoy chooses the subset at random on every request
   * and only then hashes inside it, so a user still alternates between versions. Use `StickySplit` to keep
   * a user on one version.
   */
  public static consistentHash(key: HashKey, options: ConsistentHashOptions = {}): LoadBalancer {
    return new LoadBalancer(undefined, key, options.algorithm);
  }

  private constructor(
    private readonly simple?: DestinationRuleSpecTrafficPolicyLoadBalancerSimple,
    private readonly hashKey?: HashKey,
    private readonly algorithm?: HashAlgorithm,
  ) {}

  /** @internal */
  public _toIstio(scope: IConstruct, field: string): DestinationRuleSpecTrafficPolicyLoadBalancer {
    if (this.hashKey === undefined) return { simple: this.simple };
    return {
      consistentHash: {
        // The key and its options are arguments of consistentHash(), the algorithm one of its options.
        ...this.hashKey._toIstio(scope, field),
        ...this.algorithm?._toIstio(scope, `${field}.algorithm`),
      },
    };
  }
}
