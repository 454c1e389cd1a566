// Pages rendered without a circuit (the sign-in page): MudBlazor's AutoFocus needs one, and its fields claim the
// autofocus attribute for themselves, so the field marked data-autofocus gets the focus when the page loads and
// again after an enhanced form post replaced the page. A separate file, no inline script (Content-Security-Policy).
(() => {
  const focusMarked = () => document.querySelector('[data-autofocus]')?.focus();
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusMarked);
  } else {
    focusMarked();
  }
  window.Blazor?.addEventListener?.('enhancedload', focusMarked);
})();
