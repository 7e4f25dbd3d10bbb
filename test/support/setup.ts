// Every suite fails on an unhandled rejection: the hosts we target crash or log loudly on them,
// so a test that lets one escape has found a bug.
const seen: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  seen.push(reason);
};
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  if (seen.length > 0) {
    throw new Error(`unhandled rejection(s) during this file: ${seen.map(String).join('; ')}`);
  }
});
