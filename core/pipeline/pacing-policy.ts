// Each attempt waits for a permit from the service's budget and gives it back when the answer
// (or the failure) is in, so retries, a resend after a token refresh and a resend after a
// throttle wait are all counted against the budget like any other request.
import type { HttpResponse, PacingPermit, PacingPort } from '../ports';
import { MdcaError } from '../errors';
import { cancelled, PipelinePolicy, PipelineRequest, SendNext } from './request';

export class PacingPolicy implements PipelinePolicy {
  readonly name = 'pacing';

  constructor(
    private readonly pacer: PacingPort,
    private readonly tenantKey: string,
  ) {}

  async sendRequest(request: PipelineRequest, next: SendNext): Promise<HttpResponse> {
    const permit = await this.acquire(request);
    try {
      return await next(request);
    } finally {
      permit.release();
    }
  }

  private async acquire(request: PipelineRequest): Promise<PacingPermit> {
    const { spec, ctx } = request;
    // Single writes are what a person waits for; reads are usually part of a longer scan.
    const priority = spec.priority ?? (spec.access === 'read' ? 'bulk' : 'interactive');
    try {
      return await this.pacer.acquire(this.tenantKey, priority, ctx.signal);
    } catch (error) {
      if (error instanceof MdcaError) throw error;
      // A port may reject with anything; only typed errors carry text that is known to be secret-free.
      throw cancelled(request);
    }
  }
}
