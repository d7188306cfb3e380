// Draws the dashboard's charts with Apache ECharts (wwwroot/lib/echarts, no CDN) from the table printed under each:
// the table is the accessible form and the data source, so chart and table cannot disagree.
(function () {
    function read(table) {
        var head = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); });
        var rows = Array.prototype.map.call(table.querySelectorAll('tbody tr'), function (tr) {
            return {
                label: tr.querySelector('th').textContent.trim(),
                values: Array.prototype.map.call(tr.querySelectorAll('td'), function (td) {
                    var v = td.getAttribute('data-value');
                    return v === null || v === '' ? null : Number(v);
                })
            };
        });
        return { series: head.slice(1), rows: rows };
    }

    function option(kind, data, title, saveLabel) {
        // The image is saved on white: the default is transparent, which a document or a slide shows as black.
        var toolbox = { feature: { saveAsImage: { title: saveLabel, name: title, backgroundColor: '#fff', pixelRatio: 2 } } };
        if (kind === 'funnel') {
            return {
                toolbox: toolbox, tooltip: { trigger: 'item' },
                series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { formatter: '{b}：{c}' },
                    data: data.rows.map(function (r) { return { name: r.label, value: r.values[0] || 0 }; }) }]
            };
        }
        return {
            toolbox: toolbox, tooltip: { trigger: 'axis' },
            legend: { type: 'scroll', top: 0 },
            grid: { left: 40, right: 10, top: 40, bottom: 60, containLabel: true },
            xAxis: { type: 'category', data: data.rows.map(function (r) { return r.label; }), axisLabel: { rotate: data.rows.length > 6 ? 45 : 0 } },
            yAxis: { type: 'value', min: function (v) { return Math.max(0, Math.floor(v.min - 1)); }, max: 100, axisLabel: { formatter: '{value}%' } },
            series: data.series.map(function (name, i) {
                return { name: name, type: kind, data: data.rows.map(function (r) { return r.values[i]; }), connectNulls: true };
            })
        };
    }

    function draw() {
        if (typeof echarts === 'undefined') { return; }
        document.querySelectorAll('[data-chart]').forEach(function (el) {
            var table = document.getElementById(el.getAttribute('data-source'));
            if (!table) { return; }
            var chart = echarts.init(el, null, { renderer: 'canvas' });
            var caption = document.getElementById(el.getAttribute('aria-labelledby'));
            chart.setOption(option(el.getAttribute('data-chart'), read(table), caption ? caption.textContent.trim() : 'chart', el.getAttribute('data-save-label') || ''));
            window.addEventListener('resize', function () { chart.resize(); });
        });
    }

    if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', draw); } else { draw(); }
})();
