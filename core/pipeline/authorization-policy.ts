// The Authorization header of each attempt, taken just before it leaves (after any wait for the
// budget), and the one forced refresh a 401 earns per send: a token revoked or rotated since it
// was cached gets one more chance, a credential the service refuses does not loop.
import type { AccessToken, Clock, HttpResponse, TokenProvider } from '../ports';
import type { CallContext, PipelinePolicy, PipelineRequest, SendNext } from './request';
import type { RetryStrategy } from './retry-policy';

/** A token closer to its expiry than this is refreshed first: it could expire on the way. */
export const TOKEN_FRESHNESS_MS = 60_000;

export class AuthorizationPolicy implements PipelinePolicy {
  readonly name = 'authorization';

  constructor(
    private readonly tokenProvider: TokenProvider,
    private readonly clock: Clock,
    /** Told of every token sent, so the pipeline can scrub it from what the service says. */
    private readonly onTokenSent: (token: string) => void,
  ) {}

  async sendRequest(request: PipelineRequest, next: SendNext): Promise<HttpResponse> {
    const token = await this.freshToken(false, request.ctx);
    request.authorization = `${token.scheme} ${token.token}`;
    return next(request);
  }

  /** A retry strategy: after the first 401 of a send, refresh the token and send again. */
  readonly unauthorized: RetryStrategy = {
    name: 'unauthorized',
    retryResponse: async (request, response) => {
      if (response.status !== 401 || request.refreshedAfter401) return false;
      request.refreshedAfter401 = true;
      await this.freshToken(true, request.ctx);
      return true;
    },
  };

  private async freshToken(force: boolean, ctx: CallContext): Promise<AccessToken> {
    if (force) ctx.onEvent?.({ type: 'token', forced: true });
    let token = await this.tokenProvider.getToken({ forceRefresh: force, signal: ctx.signal });
    // The provider's cache may hand out a token about to expire; whatever it says, never send one.
    if (!force && token.expiresOnMs !== undefined && token.expiresOnMs - this.clock.now() < TOKEN_FRESHNESS_MS) {
      ctx.onEvent?.({ type: 'token', forced: true });
      token = await this.tokenProvider.getToken({ forceRefresh: true, signal: ctx.signal });
    }
    this.onTokenSent(token.token);
    return token;
  }
}
