import Mustache

/// The console's pages, shipped in the binary (a shop's network may be cut off from anything
/// else): the layout, sign-in and refusal here, each area's pages in a file of its own
/// (`ConsoleTemplates+Stores`, …). Texts live in them, one catalogue per page, so that
/// translations can follow.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for template in ConsoleTemplate.allCases {
            // A page's model is inside `ConsolePageScope`: its values first, then `central`.
            let text = template == .layout ? layout : "{{#page}}" + text(of: template) + "{{/page}}"
            // The templates are constants: one that does not parse is a bug found by the first test.
            try! library.register(text, named: template.rawValue)
        }
        return library
    }()

    private static func text(of template: ConsoleTemplate) -> String {
        switch template {
        case .layout: layout
        case .signIn: signIn
        case .overview: overview
        case .stores: stores
        case .store: store
        case .missing: missing
        case .engine: engine
        case .preferences: preferences
        case .audit: audit
        case .erp: erp
        case .users: users
        case .stock: stock
        case .reservations: reservations
        case .refused: refused
        case .api: api
        }
    }

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
        {{#navigation}}
        <a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>
        {{/navigation}}
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

    static let missing = """
        <h1>Not found</h1>
        <p>{{what}}</p>
        """

    static let refused = """
        <h1>Not for you</h1>
        <p>{{user}} may not see this page: it needs the right {{right}}.</p>
        """
}
