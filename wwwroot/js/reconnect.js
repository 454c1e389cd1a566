// The reconnect dialog's behaviour (Components/Layout/ReconnectModal.razor), after .NET 10's template: blazor.web.js
// reports each state on the dialog; this shows and closes it and wires its buttons. A module file rather than inline
// handlers, so the Content-Security-Policy can forbid inline script.
const dialog = document.getElementById('components-reconnect-modal');

async function retry() {
  document.removeEventListener('visibilitychange', retryWhenVisible);
  try {
    // true: reconnected; false: the server answered but no longer knows this circuit; an exception: not reachable.
    const reconnected = await Blazor.reconnect();
    if (!reconnected) {
      const resumed = await Blazor.resumeCircuit();
      if (resumed) {
        dialog.close();
      } else {
        location.reload();
      }
    }
  } catch {
    document.addEventListener('visibilitychange', retryWhenVisible);
  }
}

async function resume() {
  try {
    if (!(await Blazor.resumeCircuit())) {
      location.reload();
    }
  } catch {
    location.reload();
  }
}

async function retryWhenVisible() {
  if (document.visibilityState === 'visible') {
    await retry();
  }
}

if (dialog) {
  dialog.addEventListener('components-reconnect-state-changed', event => {
    const state = event.detail.state;
    if (state === 'hide') {
      dialog.close();
    } else if (!dialog.open) {
      dialog.showModal();
    }
    if (state === 'failed') {
      // A laptop waking up: try again as soon as the page is looked at.
      document.addEventListener('visibilitychange', retryWhenVisible);
    } else if (state === 'rejected') {
      // The server is back but this circuit is gone: a fresh page is the quickest way on (sign-in if needed).
      location.reload();
    }
  });
  // Escape would close the dialog while the page still cannot work.
  dialog.addEventListener('cancel', event => event.preventDefault());
  document.getElementById('components-reconnect-button')?.addEventListener('click', retry);
  document.getElementById('components-resume-button')?.addEventListener('click', resume);
  document.getElementById('app-reconnect-reload')?.addEventListener('click', () => location.reload());
}
