import Mustache

/// The console's pages, shipped in the binary (a shop's network may be cut off from anything
/// else). Texts live here, in one catalogue per page, so that translations can follow.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("signin", signIn), ("overview", overview), ("stores", stores), ("store", store), ("missing", missing), ("engine", engine), ("preferences", preferences), ("audit", audit), ("erp", erp), ("users", users), ("stock", stock), ("reservations", reservations), ("refused", refused), ("api", api)] {
            // The templates are constants of this file: one that does not parse is a bug found by the first test.
            try! library.register(text, named: name)
        }
        return library
    }()

    static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Backroom</title>
    <link rel="stylesheet" href="/console.css">
    <script src="/console.js" defer></script>
    </head>
    <body>
    <header>
    <a class="brand" href="/">Backroom</a> <span class="server">{{server}} ({{role}})</span>
    {{#user}}
    <nav aria-label="Pages">
    {{#mayAdminister}}
    <a href="/"{{#overview}} aria-current="page"{{/overview}}>Overview</a>
    <a href="/stores"{{#storesPage}} aria-current="page"{{/storesPage}}>Stores</a>
    {{/mayAdminister}}
    {{#maySync}}<a href="/engine"{{#enginePage}} aria-current="page"{{/enginePage}}>Sync engine</a>{{/maySync}}
    {{#mayCount}}<a href="/stock"{{#stockPage}} aria-current="page"{{/stockPage}}>Stock</a>{{/mayCount}}
    {{#mayReserve}}<a href="/reservations"{{#reservationsPage}} aria-current="page"{{/reservationsPage}}>Reservations</a>{{/mayReserve}}
    {{#maySync}}<a href="/erp"{{#erpPage}} aria-current="page"{{/erpPage}}>ERP</a>{{/maySync}}
    {{#mayAdminister}}
    <a href="/users"{{#usersPage}} aria-current="page"{{/usersPage}}>Users and tokens</a>
    <a href="/preferences"{{#preferencesPage}} aria-current="page"{{/preferencesPage}}>Preferences</a>
    <a href="/audit"{{#auditPage}} aria-current="page"{{/auditPage}}>Audit log</a>
    {{/mayAdminister}}
    <a href="/api"{{#apiPage}} aria-current="page"{{/apiPage}}>API</a>
    </nav>
    <form class="signout" method="post" action="/signout">
    <input type="hidden" name="xsrf" value="{{xsrf}}">
    <span>{{user}}</span> <button type="submit">Sign out</button>
    </form>
    {{/user}}
    </header>
    <main id="main">
    {{{body}}}
    </main>
    </body>
    </html>
    """

    static let signIn = """
    <h1>Sign in</h1>
    {{#problem}}<p class="problem" role="alert">{{problem}}</p>{{/problem}}
    <form method="post" action="/signin" class="signin">
    <label for="user">User</label>
    <input id="user" name="user" autocomplete="username" required value="{{name}}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
    </form>
    """

    static let overview = """
    <h1>Overview</h1>
    {{#central}}
    <section aria-labelledby="stores-heading">
    <h2 id="stores-heading">Stores</h2>
    <ul class="counts">
    {{#counts}}<li class="status-{{status}}"><span class="count">{{count}}</span> {{status}}</li>{{/counts}}
    </ul>
    </section>
    {{/central}}
    {{#store}}
    <section aria-labelledby="link-heading">
    <h2 id="link-heading">Link to central</h2>
    <dl class="figures">
    <dt>Central</dt><dd>{{centralURL}}</dd>
    <dt>This store is</dt><dd class="status status-{{linkStatus}}">{{linkStatus}}</dd>
    <dt>Last exchange</dt><dd>{{lastExchange}}{{^lastExchange}}not yet{{/lastExchange}}</dd>
    {{#linkError}}<dt>Last error</dt><dd>{{linkError}}</dd>{{/linkError}}
    </dl>
    </section>
    {{/store}}
    <section aria-labelledby="engine-heading">
    <h2 id="engine-heading">Sync engine</h2>
    <p>{{#running}}Running{{/running}}{{^running}}Stopped{{/running}}, every {{interval}}. {{message}}</p>
    </section>
    {{#central}}
    <section aria-labelledby="alerts-heading">
    <h2 id="alerts-heading">Alerts</h2>
    {{#hasAlerts}}<ul class="alerts">{{#alerts}}<li>{{.}}</li>{{/alerts}}</ul>{{/hasAlerts}}
    {{^hasAlerts}}<p>None.</p>{{/hasAlerts}}
    </section>
    <section aria-labelledby="reservations-heading">
    <h2 id="reservations-heading">Reservations</h2>
    <figure>{{{reservationChart}}}
    <figcaption><span class="key granted">granted</span> {{granted}} and <span class="key refused">refused</span> {{refusedCount}} in the last hour, per minute.</figcaption></figure>
    </section>
    {{/central}}
    {{#store}}
    {{#shops}}
    <section aria-labelledby="shop-{{id}}">
    <h2 id="shop-{{id}}">{{name}} <small>shop {{id}}</small></h2>
    <p>{{products}} products, {{onHand}} units on hand. <a href="/stock?shop={{id}}">Stock</a></p>
    {{#hasSales}}
    <table class="sales">
    <caption>Latest sales, newest first.</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Product</th><th scope="col">Sold</th><th scope="col">Reference</th></tr></thead>
    <tbody>{{#sales}}<tr><td>{{at}}</td><td>{{product}}</td><td>{{qty}}</td><td>{{reference}}</td></tr>{{/sales}}</tbody>
    </table>
    {{/hasSales}}
    {{^hasSales}}<p>No sale yet.</p>{{/hasSales}}
    </section>
    {{/shops}}
    {{/store}}
    """

    static let stores = """
    <h1>Stores</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <table class="stores" data-live="/console/events/stores">
    <caption>Every server of the registry; rows change as the stores do. Lag: how old the oldest movement waiting for the store is.</caption>
    <thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Updated</th>
    <th scope="col">Last ping</th><th scope="col">To store</th><th scope="col">From store</th><th scope="col">Lag</th><th scope="col">Last hour</th>
    <th scope="col">Why offline</th><th scope="col">Actions</th></tr></thead>
    <tbody>
    {{#rows}}
    <tr data-key="{{key}}"><th scope="row"><a href="/stores/{{key}}">{{key}}</a></th><td data-label="Name">{{name}}</td>
    <td data-field="status" data-label="Status" class="status status-{{status}}">{{status}}</td><td data-field="updated" data-label="Updated">{{updated}}</td>
    <td data-field="lastPing" data-label="Last ping">{{lastPing}}</td><td data-field="toStore" data-label="To store">{{toStore}}</td>
    <td data-field="fromStore" data-label="From store">{{fromStore}}</td><td data-field="lag" data-label="Lag">{{lag}}</td>
    <td data-label="Last hour"><svg class="sparkline" viewBox="0 0 60 16" role="img" aria-label="Lag of {{key}} over the last hour"><polyline data-field="lagPoints" points="{{lagPoints}}"/></svg></td>
    <td data-field="offlineLog" data-label="Why offline">{{offlineLog}}</td>
    <td class="row-actions"><form method="post" action="/stores/{{key}}/probe"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit" aria-label="Probe {{key}} now">Probe now</button></form></td></tr>
    {{/rows}}
    </tbody>
    </table>
    """

    static let store = """
    {{#store}}
    <h1>Store {{key}} <small>{{name}}</small></h1>
    {{/store}}
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#store}}
    <dl class="figures">
    <dt>Status</dt><dd class="status status-{{status}}">{{status}}</dd><dt>Updated</dt><dd>{{updated}}</dd><dt>Last ping</dt><dd>{{lastPing}}</dd>
    <dt>URL</dt><dd>{{url}}</dd><dt>Shops</dt><dd>{{shops}}</dd>
    <dt>Waiting to go to it</dt><dd>{{toStore}}</dd><dt>Waiting to come from it</dt><dd>{{fromStore}}</dd><dt>Lag</dt><dd>{{lag}}</dd>
    </dl>
    <form method="post" action="/stores/{{key}}/probe" class="actions"><input type="hidden" name="xsrf" value="{{xsrf}}"><input type="hidden" name="back" value="store">
    <button type="submit">Probe now</button></form>
    {{/store}}
    {{#lagChart}}<figure>{{{lagChart}}}<figcaption>Replication lag, the largest reading of each minute.</figcaption></figure>{{/lagChart}}
    <table class="history">
    <caption>Its changes of status, newest first, with why it went offline.</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Became</th><th scope="col">Why</th></tr></thead>
    <tbody>{{#history}}<tr><td>{{at}}</td><td class="status status-{{status}}">{{status}}</td><td>{{reason}}</td></tr>{{/history}}</tbody>
    </table>
    {{^hasHistory}}<p>No change of status yet.</p>{{/hasHistory}}
    """

    static let missing = """
    <h1>Not found</h1>
    <p>{{what}}</p>
    """

    static let engine = """
    <h1>Sync engine</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <p>{{#running}}Running{{/running}}{{^running}}Stopped{{/running}}, every {{interval}}. {{message}}</p>
    <div class="actions">
    <form method="post" action="/engine/run">
    <input type="hidden" name="xsrf" value="{{xsrf}}">
    <input type="hidden" name="running" value="{{#running}}false{{/running}}{{^running}}true{{/running}}">
    <button type="submit">{{#running}}Stop{{/running}}{{^running}}Start{{/running}} the engine</button>
    </form>
    <form method="post" action="/engine/round">
    <input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit">Sync now</button>
    </form>
    <form method="post" action="/engine/interval">
    <input type="hidden" name="xsrf" value="{{xsrf}}">
    <label for="interval">Interval in seconds</label>
    <input id="interval" name="seconds" type="number" min="1" max="86400" required value="{{seconds}}">
    <button type="submit">Set</button>
    </form>
    </div>
    <table class="connections">
    <caption>Connections, in the order a round visits them.</caption>
    <thead><tr><th scope="col">Connection</th><th scope="col">Connector</th><th scope="col">Active</th><th scope="col">Priority</th>
    <th scope="col">Last visit</th><th scope="col">Last error</th><th scope="col">Actions</th></tr></thead>
    <tbody>
    {{#connections}}
    <tr data-id="{{id}}"><th scope="row">{{name}}</th><td>{{connector}}</td><td>{{#active}}yes{{/active}}{{^active}}no{{/active}}</td>
    <td>{{priority}}</td><td>{{lastSuccess}}</td><td>{{lastError}}</td>
    <td class="row-actions">
    {{#actions}}<form method="post" action="/engine/connections/{{id}}/{{action}}"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit" aria-label="{{label}} {{name}}">{{label}}</button></form>{{/actions}}
    </td></tr>
    {{/connections}}
    </tbody>
    </table>
    """

    static let preferences = """
    <h1>Preferences</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <table class="preferences">
    <caption>In force at their next use, here and, through the link, at every store.</caption>
    <thead><tr><th scope="col">Preference</th><th scope="col">Unit</th><th scope="col">Allowed</th><th scope="col">Default</th>
    <th scope="col">Value</th></tr></thead>
    <tbody>
    {{#rows}}
    <tr><th scope="row">{{name}}</th><td>{{unit}}</td><td>{{min}} to {{max}}</td><td>{{default}}</td>
    <td><form method="post" action="/preferences/{{name}}"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <label class="hidden" for="value-{{name}}">{{name}}</label>
    <input id="value-{{name}}" name="value" value="{{value}}" required> <button type="submit" aria-label="Set {{name}}">Set</button></form></td></tr>
    {{/rows}}
    </tbody>
    </table>
    """

    static let audit = """
    <h1>Audit log</h1>
    <table class="audit">
    <caption>Every change made through the admin API, the console, the command line or the agent, newest first.</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">How</th><th scope="col">From</th><th scope="col">What</th>
    <th scope="col">To what</th><th scope="col">Details</th></tr></thead>
    <tbody>
    {{#entries}}
    <tr><td>{{at}}</td><td>{{actor}}</td><td>{{channel}}</td><td>{{origin}}</td><td>{{action}}</td><td>{{target}}</td><td><code>{{detail}}</code></td></tr>
    {{/entries}}
    </tbody>
    </table>
    {{#next}}<p><a href="/audit?after={{next}}">Older entries</a></p>{{/next}}
    """

    static let erp = """
    <h1>ERP</h1>
    {{^folders}}<p>No ERP files connection.</p>{{/folders}}
    {{#folders}}
    <section aria-labelledby="erp-{{id}}">
    <h2 id="erp-{{id}}">{{name}} <small>{{folder}}</small></h2>
    <p>{{waiting}} waiting in in/, {{done}} imported, {{exportFiles}} files exported to out/.</p>
    {{#hasFailed}}
    <table class="failed">
    <caption>Files refused, with what is wrong.</caption>
    <thead><tr><th scope="col">File</th><th scope="col">Refused</th><th scope="col">Why</th></tr></thead>
    <tbody>{{#failed}}<tr><th scope="row">{{name}}</th><td>{{modified}}</td><td>{{error}}</td></tr>{{/failed}}</tbody>
    </table>
    {{/hasFailed}}
    {{^hasFailed}}<p>No file was refused.</p>{{/hasFailed}}
    </section>
    {{/folders}}
    """

    static let users = """
    <h1>Users and tokens</h1>
    {{^central}}<p>Users that come from central are updated from it at every exchange: change them there. Users added here stay here.</p>{{/central}}
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#token}}<p class="notice" role="status">The new token for {{tokenUser}}, shown this once: <code>{{token}}</code></p>{{/token}}
    <table class="users">
    <caption>Users; a disabled one signs in nowhere.</caption>
    <thead><tr><th scope="col">User</th><th scope="col">Rights</th><th scope="col">Shops</th><th scope="col">Signs in</th><th scope="col">Actions</th></tr></thead>
    <tbody>
    {{#users}}
    <tr><th scope="row">{{name}}</th><td>{{rights}}</td><td>{{shops}}</td><td>{{#disabled}}no{{/disabled}}{{^disabled}}yes{{/disabled}}</td>
    <td class="row-actions">
    <form method="post" action="/users/{{name}}/{{#disabled}}enable{{/disabled}}{{^disabled}}disable{{/disabled}}"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit" aria-label="{{#disabled}}Enable{{/disabled}}{{^disabled}}Disable{{/disabled}} {{name}}">{{#disabled}}Enable{{/disabled}}{{^disabled}}Disable{{/disabled}}</button></form>
    <form method="post" action="/users/{{name}}/token"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit" aria-label="New token for {{name}}">New token</button></form>
    </td></tr>
    {{/users}}
    </tbody>
    </table>
    <h2>Add a user</h2>
    <form method="post" action="/users" class="signin">
    <input type="hidden" name="xsrf" value="{{xsrf}}">
    <label for="new-name">Name</label><input id="new-name" name="name" required>
    <label for="new-password">Password</label><input id="new-password" name="password" type="password" autocomplete="new-password" required>
    <fieldset><legend>Rights</legend>
    {{#allRights}}<label><input type="checkbox" name="right" value="{{.}}"> {{.}}</label> {{/allRights}}
    </fieldset>
    <label for="new-shops">Shops (ids, separated by commas)</label><input id="new-shops" name="shops" inputmode="numeric">
    <button type="submit">Add</button>
    </form>
    <table class="tokens">
    <caption>API tokens, by the first digits of their fingerprint; a token is never shown again.</caption>
    <thead><tr><th scope="col">Token</th><th scope="col">User</th><th scope="col">Made</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
    <tbody>
    {{#tokens}}
    <tr><th scope="row"><code>{{id}}</code></th><td>{{user}}</td><td>{{created}}</td><td>{{lastUsed}}</td>
    <td><form method="post" action="/tokens/{{id}}/revoke"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <button type="submit" aria-label="Revoke token {{id}}">Revoke</button></form></td></tr>
    {{/tokens}}
    </tbody>
    </table>
    """

    static let stock = """
    <h1>Stock</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <form method="get" action="/stock" class="actions">
    <label for="shop">Shop</label><input id="shop" name="shop" inputmode="numeric" required value="{{shop}}">
    <label for="product">Product</label><input id="product" name="product" required value="{{product}}">
    <button type="submit">Look up</button>
    </form>
    {{#found}}
    <dl class="figures">
    <dt>On hand</dt><dd>{{onHand}}</dd><dt>Blocked</dt><dd>{{blocked}}</dd><dt>Reserved</dt><dd>{{reserved}}</dd><dt>ATP</dt><dd>{{atp}}</dd>
    </dl>
    <form method="post" action="/stock" class="actions">
    <input type="hidden" name="xsrf" value="{{xsrf}}"><input type="hidden" name="shop" value="{{shop}}"><input type="hidden" name="product" value="{{product}}">
    <label for="onhand">Set on hand to</label><input id="onhand" name="stock" type="number" min="0" required value="{{onHand}}">
    <label><input type="checkbox" name="confirm" value="yes" required> I counted it: record the difference as a count</label>
    <button type="submit">Set stock</button>
    </form>
    <table class="movements">
    <caption>Its latest movements, newest first.</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Movement</th><th scope="col">Quantity</th><th scope="col">Reason</th><th scope="col">Reference</th></tr></thead>
    <tbody>{{#movements}}<tr><td>{{created}}</td><td>{{movementId}}</td><td>{{qty}}</td><td>{{reason}}</td><td>{{reference}}</td></tr>{{/movements}}</tbody>
    </table>
    {{/found}}
    {{#missing}}<p>Shop {{shop}} has no product {{product}}.</p>{{/missing}}
    """

    static let reservations = """
    <h1>Reservations</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    <form method="get" action="/reservations" class="actions">
    <label for="rshop">Shop</label><input id="rshop" name="shop" inputmode="numeric" required value="{{shop}}">
    <label for="state">State</label>
    <select id="state" name="state">{{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/states}}</select>
    <button type="submit">Show</button>
    </form>
    <table class="reservations">
    <caption>Newest first.</caption>
    <thead><tr><th scope="col">Reservation</th><th scope="col">State</th><th scope="col">Type</th><th scope="col">Valid until</th><th scope="col">Items</th><th scope="col">Actions</th></tr></thead>
    <tbody>
    {{#rows}}
    <tr><th scope="row">{{id}}</th><td>{{state}}</td><td>{{type}}</td><td>{{validUntil}}</td><td>{{items}}</td>
    <td>{{#cancellable}}<form method="post" action="/reservations/{{id}}/cancel"><input type="hidden" name="xsrf" value="{{xsrf}}">
    <input type="hidden" name="shop" value="{{shop}}"><button type="submit" aria-label="Cancel reservation {{id}}">Cancel</button></form>{{/cancellable}}</td></tr>
    {{/rows}}
    </tbody>
    </table>
    """

    static let api = """
    <h1>API</h1>
    <p>Every route of this server, by family. The machine-readable document (OpenAPI 3.1) is <a href="/openapi.json">/openapi.json</a>.</p>
    {{#families}}
    <table class="api">
    <caption>{{name}}</caption>
    <thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">Who may call it</th></tr></thead>
    <tbody>{{#operations}}<tr><td data-label="Method"><code>{{method}}</code></td><td data-label="Path"><code>{{path}}</code></td><td data-label="What">{{summary}}</td><td data-label="Who">{{access}}</td></tr>{{/operations}}</tbody>
    </table>
    {{/families}}
    """

    static let refused = """
    <h1>Not for you</h1>
    <p>{{user}} may not see this page: it needs the right {{right}}.</p>
    """
}
