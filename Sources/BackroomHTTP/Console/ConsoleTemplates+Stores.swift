/// The Overview, Stores and store pages.
extension ConsoleTemplates {
    static let overview = """
        <h1>Overview</h1>
        {{#centralPart}}
        <section aria-labelledby="stores-heading">
        <h2 id="stores-heading">Stores</h2>
        <ul class="counts">
        {{#counts}}<li class="status-{{status}}"><span class="count">{{count}}</span> {{status}}</li>{{/counts}}
        </ul>
        </section>
        {{/centralPart}}
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
        {{#centralPart}}
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
        {{/centralPart}}
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
        <th scope="col">Last ping</th><th scope="col">Software</th><th scope="col">To store</th><th scope="col">From store</th><th scope="col">Lag</th><th scope="col">Last hour</th>
        <th scope="col">Why offline</th><th scope="col">Actions</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr data-key="{{key}}"><th scope="row"><a href="/stores/{{key}}">{{key}}</a></th><td data-label="Name">{{name}}</td>
        <td data-field="status" data-label="Status" class="status status-{{status}}">{{status}}</td><td data-field="updated" data-label="Updated">{{updated}}</td>
        <td data-field="lastPing" data-label="Last ping">{{lastPing}}</td><td data-field="software" data-label="Software">{{software}}</td>
        <td data-field="toStore" data-label="To store">{{toStore}}</td>
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
        <dt>URL</dt><dd>{{url}}</dd><dt>Shops</dt><dd>{{shops}}</dd><dt>Software</dt><dd>{{software}}</dd>
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
}
