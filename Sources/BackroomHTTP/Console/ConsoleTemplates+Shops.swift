/// The Stock and Reservations pages.
extension ConsoleTemplates {
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
}
