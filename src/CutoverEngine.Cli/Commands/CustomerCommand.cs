using System.CommandLine;
using System.Globalization;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Customers;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Customers;
using CutoverEngine.Engine.Hosting;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover customer list|link|revoke`: the customers of an inventory under their ids, the signed link to a
/// customer's calendar and status feeds (served by `cutover serve`), and revoking every link issued so far.
/// </summary>
public static class CustomerCommand
{
    static readonly Option<FileInfo> InventoryOption = new("--inventory")
    {
        Description = "Inventory YAML",
        Required = true,
    };
    static readonly Option<FileInfo?> ConfigOption = new("--config")
    {
        Description = "Settings file (JSON) on top of ./appsettings.json (Customers:LinkKey, Customers:BaseUrl)",
    };

    public static Command Create()
    {
        var command = new Command("customer", "Customers' own view: list them, print or revoke their signed links");
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(LinkCommand());
        command.Subcommands.Add(RevokeCommand());
        return command;
    }

    static Command ListCommand()
    {
        var c = new Command("list", "Every customer of the inventory with its id and environments") { InventoryOption };
        c.SetAction(parse =>
        {
            var inventory = LoadInventory(parse);
            if (inventory is null)
                return 2;
            var directory = new CustomerDirectory(inventory);
            foreach (var id in directory.Ids)
                Console.WriteLine(
                    $"{id, -32} {directory.NameOf(id)}: {string.Join(", ", directory.EnvironmentsOf(id).Select(e => e.Id))}"
                );
            return 0;
        });
        return c;
    }

    static Command LinkCommand()
    {
        var id = new Argument<string>("id") { Description = "Customer id (see `cutover customer list`)" };
        var days = new Option<int?>("--days")
        {
            Description = "Days the link stays valid (default Customers:LinkLifetime, 90)",
        };
        var c = new Command("link", "Print the signed links to a customer's calendar (.ics) and status (.json)")
        {
            id,
            InventoryOption,
            ConfigOption,
            days,
        };
        c.SetAction(
            (parse, ct) =>
                WithLinksAsync(
                    parse,
                    async links =>
                    {
                        var lifetime = parse.GetValue(days) is { } d ? TimeSpan.FromDays(d) : (TimeSpan?)null;
                        var link = await links.IssueAsync(parse.GetValue(id)!, lifetime, ct);
                        Console.WriteLine($"calendar: {link.Calendar}");
                        Console.WriteLine($"status:   {link.Status}");
                        Console.WriteLine(
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"valid until {link.Expires:yyyy-MM-dd HH:mm} UTC (generation {link.Generation}; revoke with `cutover customer revoke {link.CustomerId}`)"
                            )
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static Command RevokeCommand()
    {
        var id = new Argument<string>("id") { Description = "Customer id" };
        var c = new Command("revoke", "Stop every link issued so far for a customer; new links can be issued")
        {
            id,
            InventoryOption,
            ConfigOption,
        };
        c.SetAction(
            (parse, ct) =>
                WithLinksAsync(
                    parse,
                    async links =>
                    {
                        var customer = parse.GetValue(id)!;
                        var generation = await links.RevokeAsync(customer, RunCommand.Actor(), ct);
                        Console.WriteLine(
                            $"{customer}: every earlier link revoked; new links carry generation {generation}"
                        );
                        return 0;
                    }
                )
        );
        return c;
    }

    static async Task<int> WithLinksAsync(ParseResult parse, Func<CustomerLinks, Task<int>> action)
    {
        var inventory = LoadInventory(parse);
        if (inventory is null)
            return 2;
        IConfiguration configuration;
        try
        {
            configuration = CliHosting.Configuration(parse.GetValue(ConfigOption));
        }
        catch (CliInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        var options =
            configuration.GetSection(CustomerLinkOptions.SectionName).Get<CustomerLinkOptions>()
            ?? new CustomerLinkOptions();
        try
        {
            var links = new CustomerLinks(
                options,
                new CustomerLinkStore(engine.DatabasePath),
                inventory,
                TimeProvider.System
            );
            return await action(links);
        }
        catch (Exception e) when (e is CustomerLinkException or InvalidOperationException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    static Inventory? LoadInventory(ParseResult parse)
    {
        try
        {
            return InventoryFile.Load(parse.GetValue(InventoryOption)!, "--inventory");
        }
        catch (CliInputException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }
}
