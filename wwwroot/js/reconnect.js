// Wires the buttons of the German reconnect notice (Components/Controls/ReconnectNotice.razor).
// A separate file rather than inline handlers, so the Content-Security-Policy can forbid inline script.
(() => {
  const retry = document.getElementById('app-reconnect-retry');
  const reload = document.getElementById('app-reconnect-reload');
  retry?.addEventListener('click', async () => {
    const resumed = await window.Blazor?.reconnect?.();
    if (resumed === false) {
      location.reload();
    }
  });
  reload?.addEventListener('click', () => location.reload());
})();
