// Scanner fields (e.g. the document number on "Dokument erfassen"): a barcode scanner types the number and presses
// Enter, and the clerk types on at once. Enter moves the focus to the field named by data-enter-focus right here in the
// browser: a move made by the server arrives a round trip later, and whatever was typed meanwhile landed in the wrong
// field. Leaving the field fires its change event, which hands the number to the server. A separate file, no inline
// script (Content-Security-Policy).
document.addEventListener('keydown', (event) => {
  const field = event.target;
  if (event.key !== 'Enter' || !(field instanceof HTMLInputElement) || !field.dataset.enterFocus) {
    return;
  }
  const next = document.querySelector(`[data-focus-id="${field.dataset.enterFocus}"]`);
  if (next) {
    event.preventDefault();
    next.focus();
  }
}, { capture: true });
