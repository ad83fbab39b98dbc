/// The console's style sheet and script, served from the binary. The script only makes the
/// live parts live: pages work without it.
enum ConsoleAssets {
    static let css = """
        :root { --ok: #1b7f3b; --warn: #a86500; --bad: #b3261e; --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #fafafa; }
        header { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; padding: .75rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
        header .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
        header .server { color: var(--muted); }
        nav { display: flex; gap: 1rem; flex-wrap: wrap; }
        nav a { color: var(--ink); }
        nav a[aria-current="page"] { font-weight: 700; }
        .signout { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
        main { padding: 1.25rem; max-width: 75rem; }
        a:focus, button:focus, input:focus { outline: 3px solid #4c8bf5; outline-offset: 2px; }
        .signin { display: grid; gap: .5rem; max-width: 20rem; margin-bottom: 1.5rem; }
        .problem { color: var(--bad); }
        .counts { display: flex; gap: 1rem; list-style: none; padding: 0; flex-wrap: wrap; }
        .counts li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
        .count { font-size: 1.6rem; font-weight: 700; display: block; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
        caption { text-align: left; color: var(--muted); padding: .4rem 0; }
        .status { font-weight: 700; }
        td[data-field="updated"], td[data-field="lastPing"] { white-space: nowrap; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: center; margin: 1rem 0; }
        .actions form, .row-actions form { display: inline-flex; gap: .4rem; align-items: center; margin: 0 .25rem .25rem 0; }
        .figures { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem; }
        dd, .notice, .problem { overflow-wrap: anywhere; } input { max-width: 100%; }
        .figures dt { color: var(--muted); } .figures dd { margin: 0; font-weight: 700; }
        .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        code { font-size: .85em; word-break: break-all; }
        .notice { background: #e8f0fe; border-left: 4px solid #4c8bf5; padding: .5rem .75rem; }
        .status-ON { color: var(--ok); } .status-TON { color: var(--ok); } .status-TOFF { color: var(--warn); } .status-OFF { color: var(--bad); }
        figure { margin: 1rem 0; max-width: 40rem; } figcaption { color: var(--muted); }
        .chart { width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
        .chart .axis { stroke: var(--line); } .chart .scale { font-size: 11px; fill: var(--muted); }
        .chart .granted, .key.granted::before { fill: var(--ok); background: var(--ok); } .chart .refused, .key.refused::before { fill: var(--bad); background: var(--bad); }
        .key::before { content: ""; display: inline-block; width: .7em; height: .7em; margin-right: .25em; }
        .chart .series, .sparkline polyline { fill: none; stroke: #4c8bf5; stroke-width: 2; } .chart .series-dot { fill: #4c8bf5; }
        .sparkline { width: 60px; height: 16px; vertical-align: middle; } .sparkline polyline { stroke-width: 1.5; }
        small { color: var(--muted); font-weight: 400; }
        @media (max-width: 40rem) {
          table, thead, tbody, tr, th, td, caption { display: block; width: 100%; } thead { display: none; } tr { border-bottom: 2px solid var(--line); padding: .25rem 0; }
          th, td { border: 0; padding: .15rem .6rem; overflow-wrap: anywhere; } td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
          main { padding: .75rem; } header { padding: .5rem .75rem; }
        }
        """

    static let javascript = """
        "use strict";
        // Live rows: the server sends the registry as Server-Sent Events; each row is updated in place.
        document.querySelectorAll("table[data-live]").forEach((table) => {
          const source = new EventSource(table.dataset.live);
          source.addEventListener("stores", (event) => {
            for (const row of JSON.parse(event.data)) {
              const line = table.querySelector(`tr[data-key="${CSS.escape(row.key)}"]`);
              if (!line) continue;
              for (const [field, value] of Object.entries(row)) {
                const cell = line.querySelector(`[data-field="${field}"]`);
                if (!cell) continue;
                if (field === "lagPoints") { cell.setAttribute("points", value ?? ""); continue; }
                cell.textContent = value ?? "";
                if (field === "status") cell.className = `status status-${value}`;
              }
            }
          });
        });
        """
}
