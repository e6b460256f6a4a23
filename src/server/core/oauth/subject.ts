/** The id_token/userinfo subject of a user: the inum of their DN (Janssen's). */
export function subjectOf(dn: string): string {
  return /^inum=([^,]+),/.exec(dn)?.[1] ?? dn;
}
