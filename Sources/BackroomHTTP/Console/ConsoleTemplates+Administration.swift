/// The Users and tokens, Preferences, Audit log and API pages.
extension ConsoleTemplates {
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
        {{#allRights}}<label><input type="checkbox" name="right[]" value="{{.}}"> {{.}}</label> {{/allRights}}
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
}
