// Sangam console: the parking board — every open lot's occupancy as a bar, live over the `parking` channel.
"use strict";
const lots = new Map();  // lot id -> lot (+ `at`: when this console got the figure)

function keep(lot, at) {
  const id = lot.id ?? lot.lot_id;
  const merged = { ...(lots.get(id) || {}), ...lot, id, at };
  if (merged.total_spots) lots.set(id, merged); else lots.delete(id);  // a closed lot reports no spots
}

function bar(l) {
  const pct = Math.round((100 * (l.total_spots - l.available_spots)) / l.total_spots);
  const state = l.available_spots === 0 ? "full" : pct >= 85 ? "busy" : "ok";
  const fill = el("span");
  fill.style.width = `${pct}%`;
  const node = el("span", { className: `bar ${state}`, role: "meter", title: t("parking.occupied", { pct }) }, fill);
  node.setAttribute("aria-valuemin", "0"); node.setAttribute("aria-valuemax", "100"); node.setAttribute("aria-valuenow", String(pct));
  node.setAttribute("aria-label", t("parking.occupied", { pct }));
  return { node, pct, state };
}

function render() {
  const list = [...lots.values()].sort((a, b) => a.id - b.id);
  const free = list.reduce((n, l) => n + l.available_spots, 0), total = list.reduce((n, l) => n + l.total_spots, 0);
  $("#lots-summary").textContent = t("parking.summary", { free, total });
  $("#lots").replaceChildren(...list.map((l) => {
    const { node, pct, state } = bar(l);
    const li = el("li", { className: `occ-${state}` }, el("strong", { textContent: l.name }),
      el("div", { className: "figure", textContent: `${l.available_spots} / ${l.total_spots}` }), node,
      el("div", { className: "meta" }, `${state === "full" ? t("parking.full") : t("parking.occupied", { pct })} · `,
        readingTime(l.at)));
    Object.assign(li.dataset, { lot: l.id, free: l.available_spots, pct });
    return li;
  }));
  $("#lot-table tbody").replaceChildren(...list.map((l) => {
    const occupancy = cell(""); occupancy.append(bar(l).node);
    const tr = row([cell(l.name), occupancy, cell(l.available_spots), cell(l.total_spots), cell(l.price_per_hour),
      cell(l.address), readingCell(l.at)]);
    tr.dataset.lot = l.id;
    return tr;
  }));
}

Console.start({
  subscriptions: () => [{ channel: "parking" }],
  onEvent(name, data) {
    if (name !== "parking_update") return;
    const now = new Date().toISOString();
    (data.snapshot ? data.lots : [data]).forEach((l) => keep(l, now));
    render();
  },
  async refresh() {
    const now = new Date().toISOString();
    (await call("parking/lots")).forEach((l) => keep(l, now));
    render();
  },
  reset() { lots.clear(); },
  relabel() { render(); },
});
