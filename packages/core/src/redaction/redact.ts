import * as E from 'fp-ts/lib/Either.js';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import {
  defaultSecretPolicy,
  isSecretHeader,
  isSecretParam,
  makeSecretPolicy,
  NO_SECRET_SETTINGS,
  type SecretPolicy,
} from './policy.js';
import { redactHeadersWith, redactRequestWith } from './request.js';
import { redactUrlWith } from './url.js';

// ---------------------------------------------------------------------------
// The older entry points, kept for their callers: thin uses of the policy, with
// extra names as exact (or `*` wildcard) names.
// ---------------------------------------------------------------------------

export interface RedactOptions {
  readonly extraHeaderNames?: ReadonlyArray<string>;
  readonly extraParamNames?: ReadonlyArray<string>;
}

/** The default policy plus extra header/param names (never fails: names need no parsing). */
export const policyWithNames = (
  headers: ReadonlyArray<string> = [],
  params: ReadonlyArray<string> = [],
): SecretPolicy =>
  headers.length === 0 && params.length === 0
    ? defaultSecretPolicy
    : E.getOrElse(() => defaultSecretPolicy)(
        makeSecretPolicy({ ...NO_SECRET_SETTINGS, redactHeaders: headers, redactParams: params }),
      );

/** A copy of `headers` with credential values replaced by `[REDACTED]` and other values scrubbed. */
export const redactHeaders = (
  headers: Readonly<Record<string, string>>,
  extraNames: ReadonlyArray<string> = [],
): Record<string, string> => redactHeadersWith(headers, policyWithNames(extraNames));

/** The URL as it may be stored (see url.ts). */
export const redactUrl = (url: string, extraParamNames: ReadonlyArray<string> = []): string =>
  redactUrlWith(url, policyWithNames([], extraParamNames));

/** The request with its URL and headers redacted (body and other fields unchanged). */
export const redactRequest = (request: DeliveryRequest, options: RedactOptions = {}): DeliveryRequest =>
  redactRequestWith(request, policyWithNames(options.extraHeaderNames, options.extraParamNames));

/** Whether a header's value must not be stored (case-insensitive); `extraNames` are exact names. */
export const isSensitiveHeaderName = (name: string, extraNames: ReadonlyArray<string> = []): boolean =>
  isSecretHeader(policyWithNames(extraNames), name);

/** Whether a query parameter's value must not be stored (the name alone: `code` counts). */
export const isSensitiveParamName = (name: string, extraNames: ReadonlyArray<string> = []): boolean =>
  isSecretParam(policyWithNames([], extraNames), name);
