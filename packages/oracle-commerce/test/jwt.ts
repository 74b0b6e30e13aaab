// Unsigned test JWTs, encoded the way Oracle does (standard base64 with padding).
export function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => btoa(JSON.stringify(value));
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl+/=`;
}

/** An application key like the one in Oracle's docs (`iss: adminUI`, `sub`). */
export const APP_KEY: string = jwt({
  exp: 4_102_444_800,
  sub: 'app-40018',
  iss: 'adminUI',
  'com.oracle.atg.cloud.commerce.roles': ['commerceUserRole'],
  iat: 1_412_624_340,
});
