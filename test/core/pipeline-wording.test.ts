// Service wording: the name in messages, and hints that replace the pipeline's for answered errors.
import { answeredHint, MDCA_WORDING, XDR_WORDING } from '../../core/pipeline/wording';

test('MDCA keeps the pipeline hints; Defender XDR has its own for the codes its server answers', () => {
  expect(answeredHint(MDCA_WORDING, 'NOT_FOUND', 'fallback')).toBe('fallback');
  expect(answeredHint(XDR_WORDING, 'NOT_FOUND', 'fallback')).toBe('Check the incident id and that the credential points at the right tenant.');
  expect(answeredHint(XDR_WORDING, 'SERVER_ERROR', 'fallback')).toBe('fallback');
});

test('each service states its own limits', () => {
  expect(MDCA_WORDING.throttleLimits).toBe('MDCA allows 30 requests per minute per tenant, shared by every integration');
  expect(XDR_WORDING.hints.THROTTLED).toBe(
    'Defender XDR allows 50 incident calls per minute and 1,500 per hour per tenant (advanced hunting at least 45 per minute), shared by every integration: run it again later.',
  );
  for (const wording of [MDCA_WORDING, XDR_WORDING]) expect(wording.throttleLimits.startsWith(wording.name)).toBe(true);
});
