// The request pipeline as the service clients and operations use it; policies stay internal.
export type { AccessKind, CallContext, ClientEvent, ParsedResponse, PipelinePolicy, PipelineRequest, RequestSpec, SendNext } from './request';
export { newRequestId } from './request';
export { encodePathSegment } from './url';
export type { ServiceWording } from './wording';
export { MDCA_WORDING, XDR_WORDING } from './wording';
export type { PipelineConfig } from './pipeline';
export { HttpPipeline } from './pipeline';
export { extractServiceMessage } from './error-mapping';
