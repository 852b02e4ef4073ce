import { HttpMethod } from './http-method';
import { Subset } from './subsets';

/** A subset that receives copies of a rule's requests. */
export interface MirrorTarget {
  /** The subset that receives the copies; its responses are discarded. */
  readonly subset: Subset;

  /**
   * Share of the rule's requests copied, 0-100 (fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/**
 * Which request methods are mirrored.
 *
 * A mirrored request is really executed by the target: a mirrored POST to a checkout service charges the
 * customer twice if both versions write to the same database. So only the read-only methods are mirrored
 * unless you choose otherwise.
 */
export class MirrorMethods {
  /**
   * The safe methods only, GET, HEAD and OPTIONS (the default). Safe: read-only by HTTP's definition
   * (RFC 9110), so copies cannot change state.
   */
  public static safe(): MirrorMethods {
    return new MirrorMethods(HttpMethod.safe());
  }

  /**
   * The listed methods only. Listing a method that writes (POST, PUT, PATCH, DELETE) accepts that its
   * copies run against the target's real dependencies.
   */
  public static only(methods: HttpMethod[]): MirrorMethods {
    return new MirrorMethods(methods);
  }

  /**
   * Every method, including the ones that write: only for targets whose side effects are isolated
   * (their own database, stubbed payments), because every mirrored write runs twice.
   */
  public static all(): MirrorMethods {
    return new MirrorMethods(undefined);
  }

  private constructor(
    /** @internal */ public readonly _methods: HttpMethod[] | undefined,
  ) {}
}

/** Traffic shadowing on a rule: copies of its requests go to other subsets, and their responses are dropped. */
export interface Mirroring {
  /**
   * Where the copies go.
   *
   * One target is written as Istio's `mirror` and `mirrorPercentage`; several as `mirrors`. A target the rule already routes to (its subset, or one with a weight above 0 in its split) is a
   * warning (MIRROR_TO_SERVING_SUBSET), as with Istio, which accepts it: those pods get some requests twice,
   * which may be meant as extra load on a canary, but repeats the side effects of every copied request.
   */
  readonly targets: MirrorTarget[];

  /**
   * Which methods are mirrored.
   * @default MirrorMethods.safe()
   */
  readonly methods?: MirrorMethods;
}

