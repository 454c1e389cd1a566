// The compartment grid (CompartmentGrid): the server moves the focus between cells on the arrow keys, Home and End, and
// opens a cell on Enter or Space. This only keeps those keys from also scrolling the page. A module file, no inline
// script (Content-Security-Policy).
const keys = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', ' ']);

export function attach(grid) {
  grid?.addEventListener('keydown', (event) => {
    if (keys.has(event.key) && event.target instanceof Element && event.target.getAttribute('role') === 'gridcell') {
      event.preventDefault();
    }
  });
}
