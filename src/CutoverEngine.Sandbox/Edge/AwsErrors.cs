using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>The two error shapes AWS uses for the services the sandbox serves.</summary>
public static class AwsErrors
{
    public static readonly XNamespace Route53Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    public static readonly XNamespace Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /// <summary>Route 53: ErrorResponse > Error > (Type, Code, Message), RequestId.</summary>
    public static Task WriteRoute53(HttpContext http, int status, string code, string message, string requestId)
    {
        var type = status >= 500 ? "Receiver" : "Sender";
        var doc = new XElement(
            Route53Ns + "ErrorResponse",
            new XElement(
                Route53Ns + "Error",
                new XElement(Route53Ns + "Type", type),
                new XElement(Route53Ns + "Code", code),
                new XElement(Route53Ns + "Message", message)
            ),
            new XElement(Route53Ns + "RequestId", requestId)
        );
        return WriteXml(http, status, doc);
    }

    /// <summary>
    /// Route 53's InvalidChangeBatch. Route 53 once answered with a root element InvalidChangeBatch > Messages >
    /// Message;
    /// since 2024 it uses the standard ErrorResponse with every problem in one bracketed, comma-separated Message.
    /// The sandbox answers as Route 53 does today (clients should read both).
    /// </summary>
    public static Task WriteInvalidChangeBatch(HttpContext http, IEnumerable<string> messages, string requestId) =>
        WriteRoute53(http, 400, "InvalidChangeBatch", "[" + string.Join(", ", messages) + "]", requestId);

    /// <summary>EC2: Response > Errors > Error > (Code, Message), RequestID; no namespace.</summary>
    public static Task WriteEc2(HttpContext http, int status, string code, string message, string requestId)
    {
        var doc = new XElement(
            "Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", requestId)
        );
        return WriteXml(http, status, doc);
    }

    public static async Task WriteXml(HttpContext http, int status, XElement root)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        var bytes = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting)
        );
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes);
    }
}
