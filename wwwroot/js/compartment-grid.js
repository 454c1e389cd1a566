// The compartment grid (CompartmentGrid). The cells are markup shared by every open dashboard of the box; what is this
// page's own comes as data attributes of the grid and is applied to the cells here, again whenever the server replaces a
// row: the selected cell (data-selected), the filters' dimming (data-filter-states, -size, -hit) and the one cell Tab
// reaches (roving tabindex). The arrow keys, Home and End move the focus here, in the browser; a click, Enter or Space
// tells the server which cell was chosen. A module file, no inline script (Content-Security-Policy).
const attached = new WeakMap();
const patched = new WeakMap();

export function attach(grid, server) {
  if (!grid || attached.has(grid)) {
    return;
  }
  const state = { active: null, focused: null };
  const cells = () => grid.querySelectorAll('[role=gridcell]');
  const cellOf = (label) => label ? grid.querySelector(`[role=gridcell][data-label="${CSS.escape(label)}"]`) : null;
  const at = (module, row) => grid.querySelector(`[role=gridcell][data-module="${module}"][data-row="${row}"]`);

  // Applies this page's state to the given cells (all of them when the page's state changed; the new row's cells when
  // the server replaced a row), writing only what differs, so a live change costs a row, not the whole grid.
  const apply = (targets) => {
    const states = (grid.dataset.filterStates || '').split(' ').filter(Boolean);
    const size = grid.dataset.filterSize || '';
    const hit = grid.dataset.filterHit || '';
    const selected = grid.dataset.selected || '';
    const filtering = states.length > 0 || size !== '' || hit !== '';
    if (!state.active || !cellOf(state.active)) {
      state.active = selected && cellOf(selected) ? selected : cells()[0]?.dataset.label ?? null;
      targets = cells();
    }
    for (const cell of targets) {
      const label = cell.dataset.label;
      const matches = (states.length === 0 || states.includes(cell.dataset.state))
        && (size === '' || cell.dataset.size === size) && (hit === '' || label === hit);
      const dimmed = filtering && !matches;
      if (cell.classList.contains('cell-dimmed') !== dimmed) {
        cell.classList.toggle('cell-dimmed', dimmed);
      }
      const isSelected = label === selected;
      if (cell.classList.contains('cell-selected') !== isSelected) {
        cell.classList.toggle('cell-selected', isSelected);
      }
      const ariaSelected = isSelected ? 'true' : 'false';
      if (cell.getAttribute('aria-selected') !== ariaSelected) {
        cell.setAttribute('aria-selected', ariaSelected);
      }
      const tabIndex = label === state.active ? 0 : -1;
      if (cell.getAttribute('tabindex') !== String(tabIndex)) {
        cell.tabIndex = tabIndex;
      }
    }
    // The focused cell's row was replaced, which drops the focus to the page: it stays on that compartment. Focus
    // elsewhere (a dialog the cell opened, a field) is the person's, not taken back.
    const dropped = document.activeElement === null || document.activeElement === document.body;
    if (state.focused && dropped) {
      cellOf(state.focused)?.focus();
    }
  };

  const onMutations = (records) => {
    if (records.some(r => r.type === 'attributes' && r.target === grid)) {
      apply(cells());
      return;
    }
    const added = [];
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          added.push(...node.querySelectorAll('[role=gridcell]'));
        }
      }
    }
    if (added.length > 0) {
      apply(added);
    }
  };

  const moveTo = (cell) => {
    if (!cell) {
      return;
    }
    state.active = cell.dataset.label;
    for (const other of cells()) {
      other.tabIndex = other === cell ? 0 : -1;
    }
    cell.focus();
  };

  const step = (from, moduleStep, rowStep) => {
    // The nearest compartment in that direction; modules of different heights leave gaps to skip.
    const modules = Number(getComputedStyle(grid).getPropertyValue('--grid-modules')) || 99;
    const rows = Number(getComputedStyle(grid).getPropertyValue('--grid-rows')) || 99;
    for (let m = Number(from.dataset.module) + moduleStep, r = Number(from.dataset.row) + rowStep;
      m >= 1 && m <= modules && r >= 1 && r <= rows; m += moduleStep, r += rowStep) {
      const cell = at(m, r);
      if (cell) {
        return cell;
      }
    }
    return null;
  };

  const edge = (from, first) => {
    const inRow = [...grid.querySelectorAll(`[role=gridcell][data-row="${from.dataset.row}"]`)];
    inRow.sort((a, b) => Number(a.dataset.module) - Number(b.dataset.module));
    return first ? inRow[0] : inRow[inRow.length - 1];
  };

  const choose = (cell) => {
    moveTo(cell);
    server.invokeMethodAsync('SelectCellAsync', cell.dataset.label);
  };

  const onKeyDown = (event) => {
    const cell = event.target instanceof Element ? event.target.closest('[role=gridcell]') : null;
    if (!cell) {
      return;
    }
    const target = {
      ArrowRight: () => step(cell, 1, 0),
      ArrowLeft: () => step(cell, -1, 0),
      ArrowDown: () => step(cell, 0, 1),
      ArrowUp: () => step(cell, 0, -1),
      Home: () => edge(cell, true),
      End: () => edge(cell, false),
    }[event.key];
    if (target) {
      event.preventDefault();
      moveTo(target());
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(cell);
    }
  };
  const onClick = (event) => {
    const cell = event.target instanceof Element ? event.target.closest('[role=gridcell]') : null;
    if (cell) {
      choose(cell);
    }
  };
  // The tooltip is the cell's accessible name; shown as its title only when pointed at, not sent with every cell.
  const onPointerOver = (event) => {
    const cell = event.target instanceof Element ? event.target.closest('[role=gridcell]') : null;
    if (cell && cell.title !== cell.getAttribute('aria-label')) {
      cell.title = cell.getAttribute('aria-label');
    }
  };
  const onFocusIn = (event) => {
    state.focused = event.target.closest?.('[role=gridcell]')?.dataset.label ?? null;
  };
  const onFocusOut = (event) => {
    const left = event.target;
    // Still in the page: the person moved on. Gone: the server replaced its row, and apply() puts the focus back.
    setTimeout(() => {
      if (left.isConnected && !grid.contains(document.activeElement)) {
        state.focused = null;
      }
    });
  };

  const observer = new MutationObserver(onMutations);
  observer.observe(grid, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ['data-selected', 'data-filter-states', 'data-filter-size', 'data-filter-hit'],
  });
  grid.addEventListener('keydown', onKeyDown);
  grid.addEventListener('click', onClick);
  grid.addEventListener('pointerover', onPointerOver);
  grid.addEventListener('focusin', onFocusIn);
  grid.addEventListener('focusout', onFocusOut);
  patched.set(grid, apply);
  attached.set(grid, () => {
    delete grid.dataset.attached;
    observer.disconnect();
    grid.removeEventListener('keydown', onKeyDown);
    grid.removeEventListener('click', onClick);
    grid.removeEventListener('pointerover', onPointerOver);
    grid.removeEventListener('focusin', onFocusIn);
    grid.removeEventListener('focusout', onFocusOut);
  });
  apply(cells());
  // Until now a click or a key on a cell went nowhere: the page shows a waiting pointer until this mark is set (app.css).
  grid.dataset.attached = 'true';
}

// A live change: the server sends just the cells that changed, each as its markup. The cell already in the page takes
// over the new one's attributes and letter in place rather than being replaced: a node inserted into the page makes the
// browser re-check MudBlazor's :has() rules (tr:not(:has(>*)) among them) and restyle around it, which cost each open
// dashboard about four times the work of the change itself. What is this page's own (tabindex, aria-selected, the
// selection and dimming classes, a shown title) is not in the markup: apply() puts it back where the class was reset.
export function patch(grid, cells) {
  const template = document.createElement('template');
  const placed = [];
  for (const html of cells) {
    template.innerHTML = html;
    const cell = template.content.firstElementChild;
    const old = cell && grid.querySelector(`[role=gridcell][data-label="${CSS.escape(cell.dataset.label)}"]`);
    if (!old) {
      throw new Error(`No cell ${cell?.dataset.label} in the grid.`);
    }
    for (const { name, value } of cell.attributes) {
      if (old.getAttribute(name) !== value) {
        old.setAttribute(name, value);
      }
    }
    if (old.hasAttribute('title') && old.title !== old.getAttribute('aria-label')) {
      old.title = old.getAttribute('aria-label');
    }
    const letter = cell.textContent;
    if (old.textContent !== letter) {
      if (old.childNodes.length === 1 && old.firstChild.nodeType === Node.TEXT_NODE) {
        old.firstChild.data = letter;
      } else {
        old.textContent = letter;
      }
    }
    placed.push(old);
  }
  patched.get(grid)?.(placed);
}

export function detach(grid) {
  attached.get(grid)?.();
  attached.delete(grid);
  patched.delete(grid);
}
