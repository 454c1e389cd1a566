// The reconnect dialog's behaviour (Components/Layout/ReconnectModal.razor), after .NET 10's template: blazor.web.js
// reports each state on the dialog; this shows and closes it and wires its buttons. A module file rather than inline
// handlers, so the Content-Security-Policy can forbid inline script.
//
// Everything listens on the document (the state event in the capture phase, as it does not bubble): enhanced
// navigation may swap the dialog element for a new one, and a script it brings along is not run again.
const dialogId = 'components-reconnect-modal';
const dialog = () => document.getElementById(dialogId);

async function retry() {
  document.removeEventListener('visibilitychange', retryWhenVisible);
  try {
    // true: reconnected; false: the server answered but no longer knows this circuit; an exception: not reachable.
    const reconnected = await Blazor.reconnect();
    if (!reconnected) {
      if (await Blazor.resumeCircuit()) {
        dialog()?.close();
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

document.addEventListener('components-reconnect-state-changed', event => {
  const modal = event.target;
  if (!(modal instanceof HTMLDialogElement) || modal.id !== dialogId) {
    return;
  }
  const state = event.detail.state;
  if (state === 'hide') {
    modal.close();
  } else if (!modal.open) {
    modal.showModal();
  }
  if (state === 'failed') {
    // A laptop waking up: try again as soon as the page is looked at.
    document.addEventListener('visibilitychange', retryWhenVisible);
  } else if (state === 'rejected') {
    // The server is back but this circuit is gone: a fresh page is the quickest way on (sign-in if needed).
    location.reload();
  }
}, true);

// Escape would close the dialog while the page still cannot work.
document.addEventListener('cancel', event => {
  if (event.target?.id === dialogId) {
    event.preventDefault();
  }
}, true);

document.addEventListener('click', event => {
  const button = event.target instanceof Element ? event.target.closest('button') : null;
  if (button?.id === 'components-reconnect-button') {
    retry();
  } else if (button?.id === 'components-resume-button') {
    resume();
  } else if (button?.id === 'app-reconnect-reload') {
    location.reload();
  }
});
