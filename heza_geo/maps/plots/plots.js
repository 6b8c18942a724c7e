/* heza-geo: land plots drawn in the browser from compact columns (heza_geo/plotpack.py).
 *
 * HezaPlots.decode / popup / tooltip / feature / formatArea are plain functions (tests run them
 * in Node against heza_geo.mapping.plot_popup). HezaPlots.Layer is a Leaflet layer: up to
 * `canvasAbove` plots it draws SVG paths (class heza-plot, as folium.GeoJson did); above, one
 * <canvas> drawn in a single pass per status, with hit-testing on a grid for popups, tooltips and
 * clicks. HezaPlots.applyView(map, state) shows only the parks and plots a filter keeps, without
 * rebuilding the map. The number of plots shown is in window.hezaPlotCount and in the map
 * container's data-heza-plots attribute.
 */
(function (root) {
  'use strict';
  if (root.HezaPlots && root.HezaPlots.version === 1) { return; }
  var H = { version: 1 };

  function escape(text) {  // as Python's html.escape(text, quote=True)
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  }
  H.escape = escape;

  function frontDecode(coded) {
    var out = new Array(coded.length / 2), prev = '';
    for (var i = 0, j = 0; i < coded.length; i += 2, j++) {
      if (coded[i] === -1) { out[j] = null; continue; }
      prev = prev.slice(0, coded[i]) + coded[i + 1];
      out[j] = prev;
    }
    return out;
  }

  /* Packed columns -> typed arrays: absolute integer coordinates, and for feature i its
   * polygons polyStart[i]..polyStart[i+1], for polygon q its rings polyRing[q]..polyRing[q+1],
   * for ring r its points ringStart[r]..ringStart[r+1]. */
  H.decode = function (p) {
    var n = p.n, rl = p.rl, nr = rl.length, i;
    var ringStart = new Int32Array(nr + 1);
    for (i = 0; i < nr; i++) { ringStart[i + 1] = ringStart[i] + rl[i]; }
    var npts = ringStart[nr], x = new Int32Array(npts), y = new Int32Array(npts), xy = p.xy, cx = 0, cy = 0;
    for (i = 0; i < npts; i++) { cx += xy[2 * i]; cy += xy[2 * i + 1]; x[i] = cx; y[i] = cy; }
    var polyStart = new Int32Array(n + 1);
    for (i = 0; i < n; i++) { polyStart[i + 1] = polyStart[i] + (p.fp ? p.fp[i] : 1); }
    var np = polyStart[n], polyRing = new Int32Array(np + 1);
    for (i = 0; i < np; i++) { polyRing[i + 1] = polyRing[i] + (p.pr ? p.pr[i] : 1); }
    var featRing = new Int32Array(n + 1);
    for (i = 0; i <= n; i++) { featRing[i] = polyRing[polyStart[i]]; }
    return {
      n: n, scale: p.scale, ids: frontDecode(p.ids), tenant: frontDecode(p.tenant),
      park: p.park, parks: p.parks, status: p.status, statuses: p.statuses, sector: p.sector,
      sectors: p.sectors, source: p.source, sources: p.sources, area: p.area,
      x: x, y: y, ringStart: ringStart, polyStart: polyStart, polyRing: polyRing, featRing: featRing
    };
  };

  /* Hundredths of a hectare as heza_geo.i18n.fmt_area_ha writes them. */
  H.formatArea = function (centi, nf) {
    if (centi < 0) { return nf.missing; }
    var whole = String(Math.floor(centi / 100)), frac = centi % 100, grouped = '';
    while (whole.length > 3) { grouped = nf.group + whole.slice(-3) + grouped; whole = whole.slice(0, -3); }
    return nf.prefix + whole + grouped + nf.decimal + (frac < 10 ? '0' : '') + frac + nf.suffix;
  };

  /* The popup of plot i: the same HTML as heza_geo.maps.popups.plot_popup (its park's passport rows,
   t.passport, already HTML, after the park). */
  H.popup = function (d, i, t) {
    var rows = [[t.rows.park, t.parks[d.park[i]]]].concat((t.passport && t.passport[d.park[i]]) || []).concat([
      [t.rows.area, H.formatArea(d.area[i], t.number)],
      [t.rows.status, t.statuses[d.status[i]]],
      [t.rows.sector, d.sector[i] >= 0 ? t.sectors[d.sector[i]] : ''],
      [t.rows.tenant, d.tenant[i] === null ? '' : escape(d.tenant[i])],
      [t.rows.source, d.source[i] >= 0 ? t.badges[d.source[i]] : '']
    ]);
    var body = '';
    for (var k = 0; k < rows.length; k++) {
      if (rows[k][1]) { body += '<tr><th>' + rows[k][0] + '</th><td>' + rows[k][1] + '</td></tr>'; }
    }
    return '<div class="heza-popup-title">' + t.title + ' ' + escape(d.ids[i]) + '</div>'
      + '<table class="heza-popup">' + body + '</table>';
  };

  /* The tooltip of plot i: the same text as heza_geo.mapping.plot_tooltip. */
  H.tooltip = function (d, i, t) {
    return escape(d.ids[i]) + ' · ' + H.formatArea(d.area[i], t.number) + ' · ' + t.statuses[d.status[i]];
  };

  function rings(d, i, toPoint) {
    var polys = [];
    for (var q = d.polyStart[i]; q < d.polyStart[i + 1]; q++) {
      var rs = [];
      for (var r = d.polyRing[q]; r < d.polyRing[q + 1]; r++) {
        var ring = [];
        for (var k = d.ringStart[r]; k < d.ringStart[r + 1]; k++) { ring.push(toPoint(d.x[k] / d.scale, d.y[k] / d.scale)); }
        rs.push(ring);
      }
      polys.push(rs);
    }
    return polys;
  }

  H.properties = function (d, i) {
    return { layer: 'plot', plot_id: d.ids[i], park_id: d.parks[d.park[i]], status: d.statuses[d.status[i]] };
  };

  /* Plot i as a GeoJSON Feature (what a click reports to the page: its park_id selects the park). */
  H.feature = function (d, i) {
    var polys = rings(d, i, function (lng, lat) { return [lng, lat]; }).map(function (rs) {
      return rs.map(function (ring) { return ring.length ? ring.concat([ring[0].slice()]) : ring; });
    });
    return {
      type: 'Feature', properties: H.properties(d, i),
      geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys }
    };
  };

  /* base64 bitset (bit i % 8 of byte i / 8 = plot i) -> Uint8Array of 0/1, or null for all. */
  H.bits = function (mask, n) {
    if (mask === null || mask === undefined) { return null; }
    var bytes = root.atob ? root.atob(mask) : Buffer.from(mask, 'base64').toString('binary');
    var out = new Uint8Array(n);
    for (var i = 0; i < n; i++) { out[i] = (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; }
    return out;
  };

  var VIEW_PARAMS = ['lat', 'lon', 'z'];

  /* The centre and zoom a query string names (as heza_geo.links writes them), or null. */
  H.urlView = function (search) {
    var q = new URLSearchParams(search), lat = parseFloat(q.get('lat')), lon = parseFloat(q.get('lon')),
      z = parseInt(q.get('z'), 10);
    if (!isFinite(lat) || !isFinite(lon) || !isFinite(z)) { return null; }
    return { lat: lat, lon: lon, z: z };
  };

  /* ``search`` with lat, lon and z set to the view (5 decimals, an integer zoom); every other
   * parameter is kept as it was written, in its place. */
  H.withView = function (search, lat, lon, z) {
    var pairs = search.replace(/^\?/, '').split('&').filter(function (pair) {
      return pair && VIEW_PARAMS.indexOf(decodeURIComponent(pair.split('=')[0])) < 0;
    });
    pairs.push('lat=' + lat.toFixed(5), 'lon=' + lon.toFixed(5), 'z=' + Math.round(z));
    return '?' + pairs.join('&');
  };

  if (typeof module !== 'undefined' && module.exports) { module.exports = H; }
  root.HezaPlots = H;
  var L = root.L;
  if (!L) { return; }

  var CHUNK = 256, OUTLINE_PX = 4;
  var CSS = '.leaflet-container.heza-over-plot { cursor: pointer; }\n'
    + '.heza-over-plot .leaflet-overlay-pane path.heza-park, .heza-over-plot .leaflet-overlay-pane path.heza-zone,'
    + ' .heza-over-plot .leaflet-overlay-pane path.heza-land { pointer-events: none; }\n'
    + '.leaflet-container.heza-plots-passive .leaflet-overlay-pane path.heza-plot { pointer-events: none; }\n';

  function addCss() {
    if (!root.document || root.document.getElementById('heza-plots-css')) { return; }
    var style = root.document.createElement('style');
    style.id = 'heza-plots-css';
    style.textContent = CSS;
    root.document.head.appendChild(style);
  }

  /* A mark in an SVG renderer's group: paths inserted before it keep the drawing order of
   * heza_geo.mapping.build_map (zones, parks, plots, then lines and points on top). */
  function orderMark(map) {
    var renderer = map.getRenderer(L.polygon([[0, 0]]));
    var group = renderer._rootGroup || renderer._container;
    if (!group || !group.appendChild) { return null; }
    var mark = root.document.createElementNS('http://www.w3.org/2000/svg', 'g');
    group.appendChild(mark);
    return mark;
  }

  function keepBefore(layer, mark) {
    if (mark && mark.parentNode && layer._path && layer._path.parentNode === mark.parentNode) {
      mark.parentNode.insertBefore(layer._path, mark);
    }
  }

  function spread(x) {  // the bits of a 16-bit integer, one in two (for Z-order codes)
    x = (x | (x << 8)) & 0x00FF00FF;
    x = (x | (x << 4)) & 0x0F0F0F0F;
    x = (x | (x << 2)) & 0x33333333;
    return (x | (x << 1)) & 0x55555555;
  }

  function latLngs(d, i) {
    return rings(d, i, function (lng, lat) { return [lat, lng]; });
  }

  /* The <canvas> of the plots: a Leaflet renderer (container placement, zoom animation) whose
   * drawing is done by its HezaPlots.Layer. */
  H.Canvas = L.Renderer.extend({
    initialize: function (owner, options) {
      L.Renderer.prototype.initialize.call(this, options);
      this._owner = owner;
    },
    _initContainer: function () {
      this._container = root.document.createElement('canvas');
      this._container.className = 'heza-plots-canvas';
      this._ctx = this._container.getContext('2d');
    },
    _destroyContainer: function () {
      L.DomUtil.remove(this._container);
      delete this._ctx;
      delete this._container;
    },
    _update: function () {
      if (this._map._animatingZoom && this._bounds) { return; }
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, c = this._container, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
      L.DomUtil.setPosition(c, b.min);
      c.width = m * size.x;
      c.height = m * size.y;
      c.style.width = size.x + 'px';
      c.style.height = size.y + 'px';
      this._ctx.setTransform(m, 0, 0, m, 0, 0);
      this._owner._drawCanvas(this._ctx, b, size);
    }
  });

  H.Layer = L.FeatureGroup.extend({
    options: {
      renderer: 'auto',      // 'svg', 'canvas', or 'auto': canvas above canvasAbove plots
      canvasAbove: 3000,
      styles: [],            // Leaflet style per status code
      highlight: {},         // style of the plot under the mouse
      labels: null,          // heza_geo.plotpack.plot_labels
      interactiveZoom: 0,    // below this zoom plots take no click or hover: the park under them does
      data: null,            // packed plots, or:
      url: null              // {gz: '...json.gz', json: '...json'} served by the app
    },

    initialize: function (options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      this._data = null;
      this._visible = null;
      this._hover = -1;
      this.count = 0;
      if (this.options.data) {
        this._setData(this.options.data);
      } else if (this.options.url) {
        this._load(this.options.url);
      }
    },

    _load: function (url) {
      var self = this, gz = url.gz && typeof root.DecompressionStream !== 'undefined';
      root.fetch(gz ? url.gz : url.json).then(function (response) {
        if (!response.ok) { throw new Error(response.status + ' ' + response.url); }
        return gz ? new Response(response.body.pipeThrough(new root.DecompressionStream('gzip'))).json() : response.json();
      }).then(function (packed) {
        self._setData(packed);
      }).catch(function (error) {
        self.error = String(error);
        if (root.console) { root.console.error('heza plots: ' + error); }
      });
    },

    _setData: function (packed) {
      var d = this._data = H.decode(packed);
      this.mode = this.options.renderer === 'auto' ? (d.n > this.options.canvasAbove ? 'canvas' : 'svg') : this.options.renderer;
      this._visible = this._pending === undefined ? null : H.bits(this._pending, d.n);
      delete this._pending;
      if (this._map) { this._show(); }
    },

    onAdd: function (map) {
      addCss();
      (map._hezaPlotLayers = map._hezaPlotLayers || []).push(this);
      if (!this._mark) { this._mark = orderMark(map); }
      map.on('zoomanim zoom zoomend viewreset', this._gate, this);
      this._gate();
      L.FeatureGroup.prototype.onAdd.call(this, map);
      if (this._data) { this._show(); }
    },

    onRemove: function (map) {
      this._setHover(-1);
      map.off('zoomanim zoom zoomend viewreset', this._gate, this);
      L.DomUtil.removeClass(map.getContainer(), 'heza-plots-passive');
      if (this._canvas) { map.removeLayer(this._canvas); this._canvas = null; this._unlisten(); }
      map._hezaPlotLayers = (map._hezaPlotLayers || []).filter(function (l) { return l !== this; }, this);
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    /* Show only the plots whose bit is set (base64 bitset in the order of the packed plots). */
    setMask: function (mask) {
      if (!this._data) { this._pending = mask; return; }
      this._visible = H.bits(mask, this._data.n);
      if (this._map) { this._show(); }
    },

    _shown: function (i) { return !this._visible || this._visible[i] === 1; },

    /* Do plots answer the mouse at this zoom (options.interactiveZoom)? Below it a plot is a few
     * pixels: a click or hover there is meant for the park, which then gets it (SVG paths stop
     * taking events, class heza-plots-passive; the canvas stops hit-testing). */
    active: function () {
      return !!this._map && (!this.options.interactiveZoom || this._map.getZoom() >= this.options.interactiveZoom);
    },

    _gate: function (e) {  // e.zoom: where an animated zoom goes (zoomanim, fired before it starts)
      var z = e && e.zoom !== undefined ? e.zoom : this._map.getZoom();
      var on = !this.options.interactiveZoom || z >= this.options.interactiveZoom;
      L.DomUtil[on ? 'removeClass' : 'addClass'](this._map.getContainer(), 'heza-plots-passive');
      if (!on) { this._setHover(-1); }
    },

    _show: function () {
      var d = this._data, count = 0;
      for (var i = 0; i < d.n; i++) { if (this._shown(i)) { count++; } }
      if (this.mode === 'canvas') { this._showCanvas(); } else { this._showSvg(); }
      this.count = count;
      root.hezaPlotCount = count;
      this._map.getContainer().setAttribute('data-heza-plots', String(count));
      this.fire('hezaplotsdrawn', { count: count });
    },

    // --- SVG: one path per plot, as folium.GeoJson drew them --------------------------------
    _showSvg: function () {
      var d = this._data, self = this, i;
      if (!this._polys) {
        this._polys = new Array(d.n);
        for (i = 0; i < d.n; i++) {
          this._polys[i] = L.polygon(latLngs(d, i), L.extend({}, this.options.styles[d.status[i]]));
          this._polys[i].feature = { type: 'Feature', properties: H.properties(d, i) };
          this._polys[i]._hezaIndex = i;
        }
        this.bindPopup(function (layer) { return H.popup(d, layer._hezaIndex, self.options.labels); }, { maxWidth: 420 });
        this.bindTooltip(function (layer) { return H.tooltip(d, layer._hezaIndex, self.options.labels); }, { sticky: true });
        this.on('mouseover', function (e) { if (e.layer && e.layer.setStyle) { e.layer.setStyle(self.options.highlight); } });
        this.on('mouseout', function (e) {
          if (e.layer && e.layer.setStyle) { e.layer.setStyle(self.options.styles[d.status[e.layer._hezaIndex]]); }
        });
      }
      for (i = 0; i < d.n; i++) {
        var poly = this._polys[i], has = this.hasLayer(poly);
        if (this._shown(i) && !has) {
          this.addLayer(poly);
          keepBefore(poly, this._mark);
        } else if (!this._shown(i) && has) {
          this.removeLayer(poly);
        }
      }
    },

    // --- canvas: every plot in one pass per status ---------------------------------------------
    _showCanvas: function () {
      var map = this._map;
      if (!this._u) { this._project(); }
      if (!map.getPane('hezaPlots')) {
        map.createPane('hezaPlots').style.zIndex = 450;
        map.createPane('hezaPlotsTop').style.zIndex = 460;
        map.getPane('hezaPlots').style.pointerEvents = 'none';
        map.getPane('hezaPlotsTop').style.pointerEvents = 'none';
      }
      if (!this._canvas) {
        this._canvas = new H.Canvas(this, { pane: 'hezaPlots', padding: 0.1 });
        map.addLayer(this._canvas);
        this._listen();
      } else {
        this._canvas._update();
      }
      if (this._hover >= 0 && !this._shown(this._hover)) { this._setHover(-1); }
    },

    /* Points in the map's CRS at zoom 0 (pixels at zoom z are these times 2^z), feature
     * bounding boxes, and a grid of the features touching each cell, for hit-testing. */
    _project: function () {
      var d = this._data, crs = this._map.options.crs, npts = d.x.length, s = d.scale;
      var u = this._u = new Float64Array(npts), v = this._v = new Float64Array(npts), k, i;
      for (k = 0; k < npts; k++) {
        var p = crs.latLngToPoint(L.latLng(d.y[k] / s, d.x[k] / s), 0);
        u[k] = p.x; v[k] = p.y;
      }
      var n = d.n, box = this._box = new Float64Array(4 * n), U0 = Infinity, V0 = Infinity, U1 = -Infinity, V1 = -Infinity;
      for (i = 0; i < n; i++) {
        var a = Infinity, b = Infinity, c = -Infinity, e = -Infinity;
        for (k = d.ringStart[d.featRing[i]]; k < d.ringStart[d.featRing[i + 1]]; k++) {
          if (u[k] < a) { a = u[k]; } if (u[k] > c) { c = u[k]; }
          if (v[k] < b) { b = v[k]; } if (v[k] > e) { e = v[k]; }
        }
        box[4 * i] = a; box[4 * i + 1] = b; box[4 * i + 2] = c; box[4 * i + 3] = e;
        if (a < U0) { U0 = a; } if (b < V0) { V0 = b; } if (c > U1) { U1 = c; } if (e > V1) { V1 = e; }
      }
      var G = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(n / 2)))), cw = (U1 - U0) / G || 1, ch = (V1 - V0) / G || 1;
      var grid = this._grid = { U0: U0, V0: V0, cw: cw, ch: ch, G: G, start: new Int32Array(G * G + 1), items: null };
      function cells(i, visit) {
        if (!(box[4 * i] <= box[4 * i + 2])) { return; }  // no points
        var c0 = Math.min(G - 1, Math.floor((box[4 * i] - U0) / cw)), c1 = Math.min(G - 1, Math.floor((box[4 * i + 2] - U0) / cw));
        var r0 = Math.min(G - 1, Math.floor((box[4 * i + 1] - V0) / ch)), r1 = Math.min(G - 1, Math.floor((box[4 * i + 3] - V0) / ch));
        for (var r = r0; r <= r1; r++) { for (var c = c0; c <= c1; c++) { visit(r * G + c); } }
      }
      for (i = 0; i < n; i++) { cells(i, function (cell) { grid.start[cell + 1]++; }); }
      for (k = 0; k < G * G; k++) { grid.start[k + 1] += grid.start[k]; }
      var fill = grid.start.slice(0, G * G);
      grid.items = new Int32Array(grid.start[G * G]);
      for (i = 0; i < n; i++) { cells(i, function (cell) { grid.items[fill[cell]++] = i; }); }
      // Plots of each status in Z-order of their centres: a chunk of them is a compact patch
      // (the cost of filling a path grows with the area it spans).
      var order = new Uint32Array(n);
      for (i = 0; i < n; i++) {
        var qx = Math.min(65535, Math.max(0, Math.floor(((box[4 * i] + box[4 * i + 2]) / 2 - U0) / (U1 - U0 || 1) * 65535)));
        var qy = Math.min(65535, Math.max(0, Math.floor(((box[4 * i + 1] + box[4 * i + 3]) / 2 - V0) / (V1 - V0 || 1) * 65535)));
        order[i] = (spread(qx) | (spread(qy) << 1)) >>> 0;
      }
      this._byStatus = [];
      for (i = 0; i < n; i++) { (this._byStatus[d.status[i]] = this._byStatus[d.status[i]] || []).push(i); }
      this._byStatus.forEach(function (members) { members.sort(function (a, b) { return order[a] - order[b]; }); });
    },

    /* Plots in paths of CHUNK features (one path of 50,000 polygons takes seconds to build in
     * Chromium; chunks take milliseconds). Outlines only where a plot is OUTLINE_PX wide or more:
     * smaller, a 0.4 px outline would turn every plot grey at city zoom. */
    _drawCanvas: function (ctx, bounds, size) {
      var d = this._data, map = this._map;
      if (!d || !map || !this._u) { return; }
      var crs = map.options.crs, z = crs.scale(map.getZoom()) / crs.scale(0), origin = map.getPixelOrigin();
      var ox = -origin.x - bounds.min.x, oy = -origin.y - bounds.min.y;  // canvas x = u * z + ox
      var u0 = -ox / z, u1 = (size.x - ox) / z, v0 = -oy / z, v1 = (size.y - oy) / z, minSide = OUTLINE_PX / z;
      var u = this._u, v = this._v, box = this._box, drawn = 0, fills = [], lines = [];
      function trace(list) {
        ctx.beginPath();
        for (var m = 0; m < list.length; m++) {
          for (var r = d.featRing[list[m]]; r < d.featRing[list[m] + 1]; r++) {
            var k0 = d.ringStart[r], k1 = d.ringStart[r + 1];
            if (k1 <= k0) { continue; }
            ctx.moveTo(u[k0] * z + ox, v[k0] * z + oy);
            for (var k = k0 + 1; k < k1; k++) { ctx.lineTo(u[k] * z + ox, v[k] * z + oy); }
            ctx.lineTo(u[k0] * z + ox, v[k0] * z + oy);  // not closePath(): slow on long paths in Chromium
          }
        }
      }
      for (var s = 0; s < this._byStatus.length; s++) {
        var members = this._byStatus[s], style = this.options.styles[s] || {};
        if (!members) { continue; }
        var fill = style.fill !== false, stroke = style.stroke !== false && style.weight !== 0;
        ctx.fillStyle = style.fillColor || style.color || '#3388ff';
        ctx.strokeStyle = style.color || '#3388ff';
        ctx.lineWidth = style.weight === undefined ? 3 : style.weight;
        ctx.lineJoin = 'round';
        ctx.lineCap = 'round';
        for (var m = 0; m <= members.length; m++) {
          var i = members[m];
          if (m < members.length) {
            if (!this._shown(i) || box[4 * i + 2] < u0 || box[4 * i] > u1 || box[4 * i + 3] < v0 || box[4 * i + 1] > v1) { continue; }
            drawn++;
            fills.push(i);
            if (box[4 * i + 2] - box[4 * i] >= minSide || box[4 * i + 3] - box[4 * i + 1] >= minSide) { lines.push(i); }
          }
          if (fills.length === CHUNK || (m === members.length && fills.length)) {
            if (fill) {
              trace(fills);
              ctx.globalAlpha = style.fillOpacity === undefined ? 0.2 : style.fillOpacity;
              ctx.fill('evenodd');
            }
            if (stroke && lines.length) {
              trace(lines);
              ctx.globalAlpha = style.opacity === undefined ? 1 : style.opacity;
              ctx.stroke();
            }
            fills = [];
            lines = [];
          }
        }
      }
      ctx.globalAlpha = 1;
      this.drawnInView = drawn;
    },

    /* The plot under a layer point, or -1. */
    _hitAt: function (layerPoint) {
      var map = this._map, d = this._data, g = this._grid;
      if (!d || !g) { return -1; }
      var crs = map.options.crs, z = crs.scale(map.getZoom()) / crs.scale(0), origin = map.getPixelOrigin();
      var pu = (layerPoint.x + origin.x) / z, pv = (layerPoint.y + origin.y) / z;
      var c = Math.floor((pu - g.U0) / g.cw), r = Math.floor((pv - g.V0) / g.ch);
      if (c < 0 || r < 0 || c >= g.G || r >= g.G) { return -1; }
      var u = this._u, v = this._v, box = this._box, cell = r * g.G + c;
      for (var j = g.start[cell]; j < g.start[cell + 1]; j++) {
        var i = g.items[j];
        if (!this._shown(i) || pu < box[4 * i] || pu > box[4 * i + 2] || pv < box[4 * i + 1] || pv > box[4 * i + 3]) { continue; }
        var inside = false;
        for (var ring = d.featRing[i]; ring < d.featRing[i + 1]; ring++) {
          var k0 = d.ringStart[ring], k1 = d.ringStart[ring + 1];
          for (var a = k0, b = k1 - 1; a < k1; b = a++) {
            if ((v[a] > pv) !== (v[b] > pv) && pu < (u[b] - u[a]) * (pv - v[a]) / (v[b] - v[a]) + u[a]) { inside = !inside; }
          }
        }
        if (inside) { return i; }
      }
      return -1;
    },

    /* Is the event's target drawn under the plots (tiles, land, zones, parks, the bare map)?
     * Lines and points drawn above plots (berths, connectivity, housing), markers, popups and
     * controls keep their own events. */
    _below: function (target) {
      var map = this._map, container = map.getContainer();
      if (target === container || target === map.getPane('mapPane')) { return true; }
      if (map.getPane('tilePane').contains(target)) { return true; }
      if (map.getPane('overlayPane').contains(target)) {
        var cls = (target.getAttribute && target.getAttribute('class')) || '';
        return !/heza-(berth|connectivity|housing)/.test(cls);
      }
      return false;
    },

    _listen: function () {
      var self = this, container = this._map.getContainer();
      this._handlers = {
        click: function (e) { self._onClick(e); },
        mousemove: function (e) { self._onMove(e); },
        mouseout: function (e) { if (!container.contains(e.relatedTarget)) { self._setHover(-1); } }
      };
      for (var type in this._handlers) { container.addEventListener(type, this._handlers[type], true); }
    },

    _unlisten: function () {
      var container = this._map.getContainer();
      for (var type in this._handlers || {}) { container.removeEventListener(type, this._handlers[type], true); }
      this._handlers = null;
    },

    _onClick: function (e) {
      var map = this._map;
      if (!map || (map.dragging && map.dragging.moved()) || (map.boxZoom && map.boxZoom.moved())) { return; }
      if (!this.active() || !this._below(e.target)) { return; }
      var i = this._hitAt(map.mouseEventToLayerPoint(e));
      if (i < 0) { return; }
      e.stopPropagation();  // the plot is on top: the park under it does not get this click
      var latlng = map.mouseEventToLatLng(e), d = this._data, feature = H.feature(d, i);
      L.popup({ maxWidth: 420 }).setLatLng(latlng).setContent(H.popup(d, i, this.options.labels)).openOn(map);
      var clicked = { feature: feature, toGeoJSON: function () { return feature; } };
      this.fire('click', { latlng: latlng, layer: clicked, sourceTarget: clicked, propagatedFrom: clicked, originalEvent: e }, true);
    },

    _onMove: function (e) {
      if (e.buttons) { return; }  // a drag: leave it to the map
      this._lastMove = e;
      if (this._moveQueued) { return; }
      this._moveQueued = true;
      var self = this;
      L.Util.requestAnimFrame(function () {
        self._moveQueued = false;
        var ev = self._lastMove, map = self._map;
        if (!map) { return; }
        var hit = self.active() && self._below(ev.target) ? self._hitAt(map.mouseEventToLayerPoint(ev)) : -1;
        self._setHover(hit, map.mouseEventToLatLng(ev), ev.target);
      });
    },

    /* The plot under the mouse: outlined, its tooltip shown; the park or zone path under it is
     * told the mouse left (it stops taking mouse events while a plot is over it). */
    _setHover: function (i, latlng, target) {
      var map = this._map;
      if (!map) { return; }
      if (i !== this._hover) {
        var was = this._hover;
        this._hover = i;
        if (this._highlight) { map.removeLayer(this._highlight); this._highlight = null; }
        if (this._tip) { map.closeTooltip(this._tip); }
        if (i >= 0) {
          if (was < 0 && target && target.tagName === 'path') {
            target.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: map.getContainer() }));
          }
          L.DomUtil.addClass(map.getContainer(), 'heza-over-plot');
          this._highlight = L.polygon(latLngs(this._data, i), L.extend({}, this.options.styles[this._data.status[i]],
            this.options.highlight, { pane: 'hezaPlotsTop', interactive: false, fill: false })).addTo(map);
          this._tip = this._tip || L.tooltip({ sticky: true, direction: 'auto' });
          this._tip.setContent(H.tooltip(this._data, i, this.options.labels)).setLatLng(latlng);
          map.openTooltip(this._tip);
        } else {
          L.DomUtil.removeClass(map.getContainer(), 'heza-over-plot');
        }
      } else if (i >= 0 && this._tip && latlng) {
        this._tip.setLatLng(latlng);
      }
    }
  });

  /* Parks of the map's GeoJSON layers, with a mark after the last one so a park shown again
   * goes back under the plots. */
  function parkGroups(map) {
    if (map._hezaParks) { return map._hezaParks; }
    var groups = [];
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.GeoJSON)) { return; }
      var members = layer.getLayers().filter(function (l) {
        return l.feature && l.feature.properties && l.feature.properties.layer === 'park';
      });
      if (!members.length) { return; }
      var last = members[members.length - 1], mark = null;
      if (last._path && last._path.parentNode) {
        mark = root.document.createElementNS('http://www.w3.org/2000/svg', 'g');
        last._path.parentNode.insertBefore(mark, last._path.nextSibling);
      }
      groups.push({ group: layer, members: members, mark: mark });
    });
    return (map._hezaParks = groups);
  }

  /* Outline the selected park (class heza-park-selected, as the server draws it) and only it; a
   * park keeps its outline when the mouse leaves it (GeoJSON's resetStyle would drop it). A
   * selection cleared closes the open popup (it was the park's, and it hid the park). */
  function select(map, choice) {
    var before = map._hezaSelect;
    if (before && before.id && !choice.id) { map.closePopup(); }  // "Back to the city view": its popup goes too
    map._hezaSelect = choice;
    parkGroups(map).forEach(function (g) {
      g.members.forEach(function (park) {
        var on = park.feature.properties.park_id === choice.id;
        if (!park._hezaSelectHook) {
          park._hezaSelectHook = true;
          park.on('mouseout', function () {
            var now = map._hezaSelect;
            if (now && park.feature.properties.park_id === now.id) { park.setStyle(now.on); }
          });
        }
        park.setStyle(on ? choice.on : choice.off);
        if (park._path) { L.DomUtil[on ? 'addClass' : 'removeClass'](park._path, 'heza-park-selected'); }
      });
    });
  }

  /* The page's window when the map is drawn in a frame of it (a streamlit-folium component), else null. */
  function pageWindow() {
    try {
      var page = root.parent;
      return page && page !== root && page.location && page.history ? page : null;
    } catch (e) { return null; }  // another origin: an embedding we do not write to
  }

  /* The view in the page's URL, and in the page's memory (window.hezaMapView, per page path) for the
   * next map drawn in this tab: after a language or colour change, or back from another page, the
   * map opens where the user left it (Streamlit rewrites the URL from what the server last wrote,
   * which has no view the browser did not send it). A map of no size (being removed) writes nothing. */
  function writeView(map) {
    var page = pageWindow(), size = map.getSize();
    if (!page || !size.x || !size.y) { return; }
    var c = map.getCenter(), view = { lat: c.lat, lon: c.lng, z: map.getZoom(), path: page.location.pathname };
    map._hezaShown = page.hezaMapView = view;
    var search = H.withView(page.location.search, view.lat, view.lon, view.z);
    if (search !== page.location.search) {
      page.history.replaceState(page.history.state, '', page.location.pathname + search + page.location.hash);
    }
  }

  /* Where a new map opens: the view this tab's last map of this page had, else the URL's (a link). */
  function startView(page) {
    var last = page && page.hezaMapView;
    if (last && last.path === page.location.pathname) { return last; }
    return page ? H.urlView(page.location.search) : null;
  }

  /* A click on a park, or on a plot (which names its park), sent to the page once: {park_id, plot_id,
   * layer, n}, n counting the clicks so the same park clicked again is a new value. */
  function hookClicks(map) {
    function send(e) {
      var f = e.layer && e.layer.feature, p = f && f.properties, S = root.Streamlit;
      if (!S || !p || !p.park_id || (p.layer !== 'park' && p.layer !== 'plot')) { return; }
      map._hezaClicks = (map._hezaClicks || 0) + 1;
      S.setComponentValue({ park_id: p.park_id, plot_id: p.plot_id || null, layer: p.layer, n: map._hezaClicks });
    }
    function hook(layer) {
      if (!layer._hezaClickHook) { layer._hezaClickHook = true; layer.on('click', send); }
    }
    parkGroups(map).forEach(function (g) { hook(g.group); });
    (map._hezaPlotLayers || []).forEach(hook);
  }

  /* The page's main map talking to its page, one script run per click and none for anything else:
   * a park's or a plot's click is sent (hookClicks); the centre and zoom are written into the page's
   * URL by the browser (lat, lon, z), never sent, so a pan costs no run and a copied link still
   * opens this view. A new map opens where this tab's last one was (startView), else at the link's
   * lat/lon/z, and the frame of its first filter is then taken as already shown: where the user was
   * wins over where the filter would frame. */
  function follow(map, fit) {
    hookClicks(map);
    if (!map._hezaFollowing) {
      map._hezaFollowing = true;
      var at = startView(pageWindow()), c = map.getCenter();
      if (at) {
        if (at.z !== map.getZoom() || Math.abs(at.lat - c.lat) > 1e-5 || Math.abs(at.lon - c.lng) > 1e-5) {
          map.setView([at.lat, at.lon], at.z, { animate: false });
        }
        map._hezaFit = fit;
      }
      // A resize of the frame (Streamlit sizing it, a phone turned) is not a move: the map keeps the
      // centre last written. Leaflet fires it right after its own moveend, so a write waits a tick.
      map.on('moveend', function () {
        clearTimeout(map._hezaWrite);
        map._hezaWrite = setTimeout(function () { writeView(map); }, 0);
      });
      // A map still showing what it framed (nobody moved it) frames it again in its new size,
      // clear of its controls (HezaFit, heza_geo.maps.controls.OverlayClearance).
      map.on('resize', function () {
        clearTimeout(map._hezaWrite);
        var v = map._hezaShown, F = root.HezaFit;
        if (F && map._hezaFramed && F.framed(map)) {
          F.fit(map, map._hezaFramed.bounds, map._hezaFramed.options);
        } else if (v) {
          map.setView([v.lat, v.lon], v.z, { animate: false });
          if (map._popup && map.hasLayer(map._popup)) { map._popup._adjustPan(); }  // still clear of the controls
        }
      });
    }
    writeView(map);  // also after the page wrote its URL (state.page changed): the view stays in it
  }

  /* A filter's result: state.parks = ids of the parks to show (null: all), state.plots = a
   * bitset of the plots to show (null: all), state.fit = [[s, w], [n, e]] to frame (or null),
   * state.select = {id, on, off}: the park to outline (id null: none) and the two outlines;
   * state.page (optional): the query string the page last wrote, only there so that a new one runs
   * this script again (and follow puts the map's view back into the URL). ``following``: the page's
   * main map (see follow). */
  H.applyView = function (map, state, following) {
    if (!map) { return; }
    var fit = state.fit ? JSON.stringify(state.fit) : null;
    if (following) { follow(map, fit); }
    var keep = null;
    if (state.parks) {
      keep = {};
      state.parks.forEach(function (id) { keep[id] = true; });
    }
    parkGroups(map).forEach(function (g) {
      g.members.forEach(function (park) {
        var want = !keep || keep[park.feature.properties.park_id] === true, has = g.group.hasLayer(park);
        if (want && !has) { g.group.addLayer(park); keepBefore(park, g.mark); }
        if (!want && has) { g.group.removeLayer(park); }
      });
    });
    if (state.select) { select(map, state.select); }
    (map._hezaPlotLayers || []).forEach(function (layer) { layer.setMask(state.plots); });
    // framed when the frame changes, not when something else does (a pan is kept)
    if (fit && fit !== map._hezaFit) {
      if (root.HezaFit) { root.HezaFit.fit(map, state.fit); }  // clear of the map's controls
      else { map.fitBounds(state.fit, { padding: [30, 30], animate: false }); }
    }
    map._hezaFit = fit;
  };
})(typeof window !== 'undefined' ? window : globalThis);
