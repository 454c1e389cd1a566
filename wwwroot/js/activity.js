// Reports keyboard and pointer input to the server at most once per interval, for the idle sign-out
// (Security:IdleTimeout, BackOffice.Web/Security/IdleSession.cs). A circuit sends no HTTP requests of its own, so the
// same report also fetches the keep-alive URL, which renews the sliding sign-in cookie while someone works.
const inputEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'];

export function watch(dotNet, intervalMs, keepAliveUrl) {
  let last = 0;
  const report = (event) => {
    // Reaching for "Abmelden" is not work to keep signed in for: a keep-alive sent then would cross the sign-out.
    if (event.target instanceof Element && event.target.closest('form[action$="/Account/Logout"]')) {
      return;
    }
    const now = Date.now();
    if (now - last < intervalMs) {
      return;
    }
    last = now;
    dotNet.invokeMethodAsync('RecordInput').catch(() => { });
    fetch(keepAliveUrl, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' }).catch(() => { });
  };
  for (const type of inputEvents) {
    document.addEventListener(type, report, { capture: true, passive: true });
  }
  return {
    dispose: () => {
      for (const type of inputEvents) {
        document.removeEventListener(type, report, { capture: true });
      }
    },
  };
}
