/// The Sync engine and ERP pages.
extension ConsoleTemplates {
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
}
