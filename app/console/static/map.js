// Sangam console: the overview's map (Leaflet, vendored under static/vendor/leaflet).
// Temples with their zones coloured by crowd level, parking lots with their occupancy, shuttles, open incidents,
// signs and air-quality stations; each kind is a layer the operator can switch off. Markers are small DOM pins
// (class + data-* attributes say what they show), replaced in place when a live event changes them.
// Without CONSOLE_MAP_TILES the map draws a plain background and needs no network at all.
"use strict";

const SangamMap = {
  map: null, layers: {}, markers: new Map(), fitted: false, focus: "",

  create(node) {
    L.Icon.Default.imagePath = node.dataset.images;
    this.map = L.map(node, { zoomControl: true, attributionControl: Boolean(node.dataset.attribution) });
    if (node.dataset.tiles) {
      L.tileLayer(node.dataset.tiles, { attribution: node.dataset.attribution, maxZoom: 19 }).addTo(this.map);
    } else {
      node.classList.add("plain");
      if (node.dataset.attribution) this.map.attributionControl.addAttribution(node.dataset.attribution);
    }
    L.control.scale({ imperial: false }).addTo(this.map);
    for (const kind of ["temples", "parking", "shuttles", "incidents", "signs", "aqi"]) {
      this.layers[kind] = L.layerGroup().addTo(this.map);
    }
    this.control = L.control.layers(null, this.overlays(), { collapsed: true }).addTo(this.map);
    this.map.setView([22.5, 71.5], 7);  // Gujarat, until the data says better
    return this;
  },

  overlays() { return Object.fromEntries(Object.entries(this.layers).map(([kind, layer]) => [t(`layer.${kind}`), layer])); },

  relabel() {
    this.control.remove();
    this.control = L.control.layers(null, this.overlays(), { collapsed: true }).addTo(this.map);
  },

  // Put (or replace) one pin: `key` names it ("temple:somnath"), `node` is its DOM content.
  pin(kind, key, lat, lng, node, title) {
    if (lat == null || lng == null) { this.drop(key); return; }
    node.classList.add("pin");
    const icon = L.divIcon({ html: node, className: `pin-wrap pin-${kind}`, iconSize: null });
    const existing = this.markers.get(key);
    if (existing) {
      existing.options.title = title; existing.options.alt = title;
      existing.setLatLng([lat, lng]); existing.setIcon(icon);
      return;
    }
    const marker = L.marker([lat, lng], { icon, title, alt: title, keyboard: true, riseOnHover: true });
    marker.bindPopup(() => el("div", { textContent: marker.options.title }));  // text only, never HTML
    marker.addTo(this.layers[kind]);
    this.markers.set(key, marker);
  },

  drop(key) {
    const marker = this.markers.get(key);
    if (marker) { marker.remove(); this.markers.delete(key); }
  },

  // Fit the view to everything once, when the first data arrives (later updates keep the operator's view).
  fitOnce() {
    this.map.invalidateSize();  // the map may have been drawn while its screen was still hidden
    if (this.fitted) return;
    const points = [...this.markers.values()].map((m) => m.getLatLng());
    if (!points.length) return;
    this.map.fitBounds(L.latLngBounds(points).pad(0.1));
    this.fitted = true;
  },

  show(lat, lng) { if (lat == null) this.fitAll(); else this.map.setView([lat, lng], 16); },
  fitAll() { this.fitted = false; this.fitOnce(); },
};

// DOM helpers for the pins' content
function pinNode(cls, data, ...children) {
  const node = el("div", { className: cls }, ...children);
  Object.assign(node.dataset, data);
  return node;
}
