using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Server.Rendering;

/// <summary>
/// Renders a Razor component to an HTML string with <see cref="HtmlRenderer"/>, outside any HTTP request, so the
/// same components serve the auditor pages and <c>cutover report</c>. Text and attribute values written with
/// <c>@</c> are HTML-encoded by the renderer; only <see cref="MarkupString"/> (the style sheets) goes out as is.
/// </summary>
public static class ComponentHtml
{
    // The components take their data as parameters and inject nothing, so one empty provider serves every render.
    static readonly ServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    public static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        // A renderer keeps its root components until disposed: one per document, so nothing accumulates in serve.
        await using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return root.ToHtmlString();
        });
    }
}
