/** Fills and posts a server-rendered form over real HTTP, as a browser would (CSRF cookie and token). */
export async function submitForm(
  pageUrl: string,
  action: string,
  fields: Record<string, string>,
): Promise<Response> {
  const page = await fetch(pageUrl);
  const cookie = /csrf_token=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const token = /name="csrf_token" value="([^"]*)"/.exec(await page.text())?.[1] ?? "";
  return fetch(new URL(action, pageUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `csrf_token=${cookie}` },
    body: new URLSearchParams({ ...fields, csrf_token: token }),
  });
}
