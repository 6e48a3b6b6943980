// Credential header names that do not say "authorization" or "token" (the secrets issue's list):
// the default secret policy redacts each of them. The policy's unit test and the end-to-end
// echo test check the same names.
export const SECRET_HEADER_NAMES = [
  'X-Authorization',
  'Authentication',
  'X-Auth-Key',
  'Ocp-Apim-Subscription-Key',
  'X-Functions-Key',
  'X-Access-Key',
  'X-Session-Id',
] as const;
