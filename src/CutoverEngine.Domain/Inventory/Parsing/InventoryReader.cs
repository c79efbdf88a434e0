using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>
/// Turns the YAML tree into inventory records, checking every field and the rules between fields and environments.
/// It never stops at the first error; a record is only built when all its parts are valid, and the inventory only
/// when no error was found anywhere.
/// </summary>
internal sealed partial class InventoryReader
{
    static readonly string[] RootKeys = ["version", "accounts", "environments", "customers"];
    static readonly string[] AccountKeys = ["id", "name", "region", "profile"];
    static readonly string[] EnvironmentKeys =
    [
        "id",
        "customer",
        "tier",
        "offering",
        "account",
        "region",
        "hostedZone",
        "sendingDomain",
        "sendingControl",
        "ipStrategy",
        "byoipCidr",
        "rangeGroup",
        "windowBudgetMinutes",
        "mtaHosts",
        "testMessage",
        "contacts",
        "otherFunctions",
    ];
    static readonly string[] CustomerKeys = ["name", "contacts"];
    static readonly string[] HostedZoneKeys = ["id", "name"];
    static readonly string[] MtaHostKeys = ["name", "currentAddress", "target"];
    static readonly string[] TargetKeys = ["instanceId", "allocationId", "address", "ehloName"];
    static readonly string[] TestMessageKeys = ["from", "to"];

    /// <summary>The range an environment may override its downtime budget within: up to four hours.</summary>
    const int MinWindowBudgetMinutes = 1,
        MaxWindowBudgetMinutes = 240;

    /// <summary>Offered in the product but cut over by nobody: the customer runs the MTAs.</summary>
    const string OnPremiseOffering = "v7-on-premise";

    readonly ErrorCollector errors;
    readonly FirstUses accountIds,
        environmentIds,
        hostNames,
        instanceIds,
        allocationIds,
        targetAddresses;
    readonly FirstUses customerNames;

    /// <summary>Every syntactically valid account id; the account is null when another of its fields is
    /// invalid.</summary>
    readonly Dictionary<string, AwsAccount?> accountsById = new(StringComparer.Ordinal);

    readonly Dictionary<string, (string Name, string Owner, SourcePosition At)> hostedZonesById = new(
        StringComparer.Ordinal
    );

    /// <summary>Every customer named under customers, with where, to check that an environment belongs to it.</summary>
    readonly List<Field> customerEntries = [];

    /// <summary>The contacts of each customer under customers; null when its entry was invalid.</summary>
    readonly Dictionary<string, IReadOnlyList<NoticeContact>?> contactsByCustomer = new(StringComparer.Ordinal);

    /// <summary>The customer names environments give.</summary>
    readonly HashSet<string> environmentCustomers = new(StringComparer.Ordinal);

    /// <summary>One entry of customers: the contacts of every environment of that customer without its own.</summary>
    sealed record CustomerContacts(string Name, IReadOnlyList<NoticeContact> Contacts);

    /// <summary>Every valid BYOIP range with where it was given, to find ranges that overlap across
    /// environments.</summary>
    readonly List<RangeClaim> rangeClaims = [];

    /// <summary>What an environment's hosts are checked against; null parts were invalid or absent.</summary>
    sealed record HostRules(string? ZoneName, IpStrategy? Strategy, IPNetwork? ByoipCidr);

    InventoryReader(ErrorCollector errors)
    {
        this.errors = errors;
        accountIds = new FirstUses(errors, "account id");
        environmentIds = new FirstUses(errors, "environment id");
        hostNames = new FirstUses(errors, "MTA host name");
        instanceIds = new FirstUses(errors, "instance");
        allocationIds = new FirstUses(errors, "Elastic IP allocation");
        targetAddresses = new FirstUses(errors, "target address");
        customerNames = new FirstUses(errors, "customer");
    }

    /// <returns>The inventory, or null when any error was reported to <paramref name="errors"/>.</returns>
    public static Inventory? Read(SourceNode root, ErrorCollector errors)
    {
        var inventory = new InventoryReader(errors).ReadInventory(root);
        return errors.Count == 0 ? inventory : null;
    }

    Inventory? ReadInventory(SourceNode root)
    {
        if (root is not SourceMapping mapping)
        {
            errors.Add(
                root,
                "",
                $"the inventory must be a mapping with the fields version, accounts and environments, but it is {root.KindName}"
            );
            return null;
        }
        var fields = new MappingReader(mapping, "", RootKeys, errors);
        var version = ReadVersion(fields.Required("version"));
        // Accounts first whatever the file order: environments refer to them.
        var accounts = ReadList(fields.Required("accounts"), "account", ReadAccount);
        // Customers before environments too: an environment without contacts of its own takes its customer's.
        var customersField = fields.Optional("customers");
        var customers = customersField is null ? [] : ReadList(customersField, "customer", ReadCustomer);
        var environments = ReadList(fields.Required("environments"), "environment", ReadEnvironment);
        CheckCustomersHaveEnvironments();
        CheckRangeOverlaps();
        return version is { } v && accounts is not null && customers is not null && environments is not null
            ? new Inventory(v, accounts, environments)
            : null;
    }

    CustomerContacts? ReadCustomer(SourceNode node, string path)
    {
        if (Mapping(node, path, "a customer with name and contacts") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, path, CustomerKeys, errors);
        var nameField = fields.Required("name");
        var name = Text(nameField);
        var contacts = ReadContacts(fields.Required("contacts"));
        if (name is null || !customerNames.Claim(name, path, nameField!.Value.Node, nameField.Value.Path))
            return null;
        customerEntries.Add(nameField.Value);
        contactsByCustomer[name] = contacts;
        return contacts is null ? null : new CustomerContacts(name, contacts);
    }

    /// <summary>A customer entry no environment belongs to is a misspelt name: its contacts would go unused.</summary>
    void CheckCustomersHaveEnvironments()
    {
        foreach (var entry in customerEntries)
        {
            var name = ((SourceScalar)entry.Node).Text;
            if (environmentCustomers.Contains(name))
                continue;
            var known = environmentCustomers.Order(StringComparer.Ordinal).ToList();
            var hint = Spelling.Closest(name, known) is { } closest ? $" (did you mean '{closest}'?)" : "";
            var customers = known.Count == 0 ? "none" : string.Join(", ", known);
            errors.Add(
                entry.Node,
                entry.Path,
                $"no environment has customer '{name}'{hint}; the environments' customers are {customers}"
            );
        }
    }

    /// <summary>A non-empty list of contacts, each address at most once.</summary>
    IReadOnlyList<NoticeContact>? ReadContacts(Field? field)
    {
        var addresses = new Dictionary<string, SourcePosition>(StringComparer.OrdinalIgnoreCase);
        return ReadList(
            field,
            "contact",
            (node, path) =>
            {
                if (Text(new Field(node, path)) is not { } text)
                    return null;
                if (!FieldFormats.TryContact(text, out var address, out var displayName))
                {
                    errors.Add(
                        node,
                        path,
                        $"'{text}' is not a contact "
                            + "(expected local@domain or Display Name <local@domain>, the address in ASCII)"
                    );
                    return null;
                }
                if (addresses.TryGetValue(address, out var first))
                {
                    errors.Add(node, path, $"contact {address} is listed twice (first on line {first.Line})");
                    return null;
                }
                addresses.Add(address, node.Position);
                return new NoticeContact(address, displayName);
            }
        );
    }

    int? ReadVersion(Field? field)
    {
        if (Text(field) is not { } text)
            return null;
        if (text == Inventory.CurrentVersion.ToString(CultureInfo.InvariantCulture))
            return Inventory.CurrentVersion;
        errors.Add(
            field!.Value.Node,
            field.Value.Path,
            $"unsupported inventory version '{text}' (this engine reads version {Inventory.CurrentVersion})"
        );
        return null;
    }

    AwsAccount? ReadAccount(SourceNode node, string path)
    {
        if (Mapping(node, path, "an account with id, name and region") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, path, AccountKeys, errors);
        var idField = fields.Required("id");
        var id = Matching(
            idField,
            FieldFormats.AccountId(),
            "is not an AWS account id (expected 12 digits; quote it so YAML keeps it as text)"
        );
        var name = Text(fields.Required("name"));
        var region = Matching(
            fields.Required("region"),
            FieldFormats.Region(),
            "is not an AWS region name (expected e.g. us-east-1)"
        );
        var profile = Text(fields.Optional("profile"));

        if (id is null || !accountIds.Claim(id, path, idField!.Value.Node, idField.Value.Path))
            return null;
        var account = name is not null && region is not null ? new AwsAccount(id, name, region, profile) : null;
        accountsById[id] = account;
        return account;
    }

    CutoverEnvironment? ReadEnvironment(SourceNode node, string path)
    {
        if (Mapping(node, path, "an environment") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, path, [.. EnvironmentKeys, SendingControlAuthKey], errors);

        var idField = fields.Required("id");
        var id = Matching(
            idField,
            FieldFormats.EnvironmentId(),
            "is not a valid environment id (expected 1-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit)"
        );
        if (id is not null && !environmentIds.Claim(id, path, idField!.Value.Node, idField.Value.Path))
            id = null;

        var customer = Text(fields.Required("customer"));
        if (customer is not null)
            environmentCustomers.Add(customer);
        var tier = Enumerated<Tier>(fields.Required("tier"), "tier");
        var offering = ReadOffering(fields.Required("offering"));
        var account = ReadAccountReference(fields.Required("account"));
        var region = fields.Optional("region") is { } regionField
            ? Matching(regionField, FieldFormats.Region(), "is not an AWS region name (expected e.g. us-east-1)")
            : account?.Region;
        var hostedZone = ReadHostedZone(fields.Required("hostedZone"));
        var sendingDomain = DnsName(fields.Required("sendingDomain"));
        var sendingControl = ReadHttpUrl(fields.Required("sendingControl"));
        var strategy = Enumerated<IpStrategy>(fields.Required("ipStrategy"), "IP strategy");
        var (cidrValid, cidr) = ReadByoipCidr(fields, mapping, strategy);
        var (groupValid, rangeGroup) = ReadRangeGroup(fields.Optional("rangeGroup"), strategy);
        if (id is not null && account is not null && cidr is { } claimed && groupValid)
            rangeClaims.Add(
                new RangeClaim(id, path, account.Id, claimed, fields.Optional("byoipCidr")!.Value, rangeGroup)
            );
        var (budgetValid, budget) = ReadWindowBudget(fields.Optional("windowBudgetMinutes"));

        var rules = new HostRules(hostedZone?.Name, strategy, cidr);
        var hosts = ReadList(
            fields.Required("mtaHosts"),
            "MTA host",
            (item, itemPath) => ReadMtaHost(item, itemPath, rules)
        );
        var testMessageField = fields.Optional("testMessage");
        var testMessage = testMessageField is { } t ? ReadTestMessage(t) : null;
        var contactsField = fields.Optional("contacts");
        var contacts = contactsField is { } c ? ReadContacts(c) : null;
        var (authValid, auth) = ReadSendingControlAuth(fields.Optional(SendingControlAuthKey));
        var functionsField = fields.Optional("otherFunctions");
        var functions = functionsField is { } of ? ReadOtherFunctions(of) : null;

        if (
            id is null
            || customer is null
            || tier is null
            || offering is null
            || account is null
            || region is null
            || hostedZone is null
            || sendingDomain is null
            || sendingControl is null
            || strategy is null
            || !cidrValid
            || !groupValid
            || !budgetValid
            || hosts is null
            || (testMessageField is not null && testMessage is null)
            || (contactsField is not null && contacts is null)
            || !authValid
            || (functionsField is not null && functions is null)
        )
            return null;
        return new CutoverEnvironment(
            id,
            customer,
            tier.Value,
            offering.Value,
            account,
            region,
            hostedZone,
            sendingDomain,
            sendingControl,
            strategy.Value,
            cidr,
            budget,
            hosts,
            testMessage
        )
        {
            Contacts = contacts ?? contactsByCustomer.GetValueOrDefault(customer) ?? [],
            SendingControlAuth = auth,
            RangeGroup = rangeGroup?.Name,
            OtherFunctions = functions ?? [],
        };
    }

    Offering? ReadOffering(Field? field)
    {
        if (Text(field) == OnPremiseOffering)
        {
            errors.Add(
                field!.Value.Node,
                field.Value.Path,
                $"'{OnPremiseOffering}' is out of scope: on-premise environments run the customer's own MTAs and are not cut over to AWS "
                    + $"(allowed: {string.Join(", ", WireNames.All<Offering>())})"
            );
            return null;
        }
        return Enumerated<Offering>(field, "offering");
    }

    AwsAccount? ReadAccountReference(Field? field)
    {
        if (Matching(field, FieldFormats.AccountId(), "is not an AWS account id (expected 12 digits)") is not { } id)
            return null;
        if (accountsById.TryGetValue(id, out var account))
            return account;
        var defined = accountsById.Count == 0 ? "none" : string.Join(", ", accountsById.Keys);
        errors.Add(
            field!.Value.Node,
            field.Value.Path,
            $"account '{id}' is not defined under accounts (defined: {defined})"
        );
        return null;
    }

    HostedZoneRef? ReadHostedZone(Field? field)
    {
        if (
            field is not { } zoneField
            || Mapping(zoneField.Node, zoneField.Path, "a hosted zone with id and name") is not { } mapping
        )
            return null;
        var fields = new MappingReader(mapping, zoneField.Path, HostedZoneKeys, errors);
        var id = Matching(
            fields.Required("id"),
            FieldFormats.HostedZoneId(),
            "is not a Route 53 hosted zone id (expected Z followed by upper-case letters and digits, without /hostedzone/)"
        );
        var nameField = fields.Required("name");
        var name = DnsName(nameField);
        if (id is null || name is null)
            return null;

        // One zone has one name; two spellings mean one of the environments points at the wrong zone.
        if (hostedZonesById.TryGetValue(id, out var first))
        {
            if (first.Name != name)
            {
                errors.Add(
                    nameField!.Value.Node,
                    nameField.Value.Path,
                    $"hosted zone {id} is named '{name}' here but '{first.Name}' in {first.Owner} (line {first.At.Line})"
                );
                return null;
            }
        }
        else
        {
            hostedZonesById.Add(id, (name, zoneField.Path, nameField!.Value.Node.Position));
        }
        return new HostedZoneRef(id, name);
    }

    /// <returns>Valid is false when an error was reported; the range is null when the strategy needs none.</returns>
    (bool Valid, IPNetwork? Cidr) ReadByoipCidr(MappingReader fields, SourceMapping environment, IpStrategy? strategy)
    {
        var field = fields.Optional("byoipCidr");
        if (field is null)
        {
            if (strategy != IpStrategy.Byoip)
                return (true, null);
            errors.Add(
                environment,
                fields.PathOf("byoipCidr"),
                "required for ipStrategy byoip (the customer's IPv4 range, e.g. 203.0.113.0/24)"
            );
            return (false, null);
        }
        if (strategy == IpStrategy.ElasticIp)
        {
            errors.Add(
                field.Value.Node,
                field.Value.Path,
                "must not be set for ipStrategy elastic-ip (only byoip moves an address range)"
            );
            return (false, null);
        }
        if (Text(field) is not { } text)
            return (false, null);
        switch (FieldFormats.TryIpv4Cidr(text, out var cidr))
        {
            case FieldFormats.CidrProblem.None when cidr.PrefixLength > RangeGroup.MaxIpv4PrefixLength:
                errors.Add(
                    field.Value.Node,
                    field.Value.Path,
                    $"'{text}' is more specific than /{RangeGroup.MaxIpv4PrefixLength}: AWS advertises no IPv4 BYOIP "
                        + $"range longer than /{RangeGroup.MaxIpv4PrefixLength} (AdvertiseByoipCidr refuses it), "
                        + $"so the cutover would fail while sending is paused; give the provisioned /{RangeGroup.MaxIpv4PrefixLength} or shorter range"
                );
                return (false, null);
            case FieldFormats.CidrProblem.None:
                return (true, cidr);
            case FieldFormats.CidrProblem.HostBitsSet:
                errors.Add(field.Value.Node, field.Value.Path, $"'{text}' has host bits set (the range is {cidr})");
                return (false, null);
            default:
                errors.Add(
                    field.Value.Node,
                    field.Value.Path,
                    $"'{text}' is not an IPv4 CIDR range (expected a.b.c.d/n with n from 0 to 32)"
                );
                return (false, null);
        }
    }

    (bool Valid, TimeSpan? Budget) ReadWindowBudget(Field? field)
    {
        if (field is null)
            return (true, null);
        if (Text(field) is not { } text)
            return (false, null);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes))
        {
            errors.Add(
                field.Value.Node,
                field.Value.Path,
                $"'{text}' is not a whole number of minutes (allowed: {MinWindowBudgetMinutes} to {MaxWindowBudgetMinutes})"
            );
            return (false, null);
        }
        if (minutes is < MinWindowBudgetMinutes or > MaxWindowBudgetMinutes)
        {
            errors.Add(
                field.Value.Node,
                field.Value.Path,
                $"{minutes} minutes is outside the allowed range {MinWindowBudgetMinutes} to {MaxWindowBudgetMinutes}"
            );
            return (false, null);
        }
        return (true, TimeSpan.FromMinutes(minutes));
    }

    MtaHost? ReadMtaHost(SourceNode node, string path, HostRules rules)
    {
        if (Mapping(node, path, "an MTA host with name, currentAddress and target") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, path, MtaHostKeys, errors);

        var nameField = fields.Required("name");
        var name = DnsName(nameField);
        if (name is not null && rules.ZoneName is { } zone && !FieldFormats.IsWithinZone(name, zone))
        {
            errors.Add(nameField!.Value.Node, nameField.Value.Path, $"'{name}' is not inside the hosted zone '{zone}'");
            name = null;
        }
        if (name is not null && !hostNames.Claim(name, path, nameField!.Value.Node, nameField.Value.Path))
            name = null;

        var currentAddress = Ipv4(fields.Required("currentAddress"));
        var targetField = fields.Required("target");
        var target = targetField is { } t ? ReadTarget(t, rules, name, currentAddress) : null;
        return name is not null && currentAddress is not null && target is not null
            ? new MtaHost(name, currentAddress, target)
            : null;
    }

    MtaTarget? ReadTarget(Field field, HostRules rules, string? hostName, IPAddress? currentAddress)
    {
        if (Mapping(field.Node, field.Path, "a target with instanceId and address") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, field.Path, TargetKeys, errors);

        var instanceField = fields.Required("instanceId");
        var instanceId = Matching(
            instanceField,
            FieldFormats.InstanceId(),
            "is not an EC2 instance id (expected i- followed by 8-17 hex digits)"
        );
        if (
            instanceId is not null
            && !instanceIds.Claim(instanceId, field.Path, instanceField!.Value.Node, instanceField.Value.Path)
        )
            instanceId = null;

        var (allocationValid, allocationId) = ReadAllocationId(fields, mapping, field.Path, rules.Strategy);

        var addressField = fields.Required("address");
        var address = Ipv4(addressField);
        if (address is not null && !CheckTargetAddress(addressField!.Value, address, rules, currentAddress))
            address = null;
        if (
            address is not null
            && !targetAddresses.Claim(address.ToString(), field.Path, addressField!.Value.Node, addressField.Value.Path)
        )
            address = null;

        var ehloField = fields.Optional("ehloName");
        var ehloName = ehloField is null ? hostName : DnsName(ehloField);

        return
            instanceId is not null
            && allocationValid
            && address is not null
            && ehloName is not null
            && hostName is not null
            ? new MtaTarget(instanceId, allocationId, address, ehloName)
            : null;
    }

    (bool Valid, string? AllocationId) ReadAllocationId(
        MappingReader fields,
        SourceMapping target,
        string targetPath,
        IpStrategy? strategy
    )
    {
        var field = fields.Optional("allocationId");
        if (field is null)
        {
            if (strategy != IpStrategy.ElasticIp)
                return (true, null);
            errors.Add(
                target,
                fields.PathOf("allocationId"),
                "required for ipStrategy elastic-ip (the Elastic IP to associate to the instance)"
            );
            return (false, null);
        }
        if (strategy == IpStrategy.Byoip)
        {
            errors.Add(
                field.Value.Node,
                field.Value.Path,
                "must not be set for ipStrategy byoip (the addresses stay; there is no Elastic IP to associate)"
            );
            return (false, null);
        }
        var allocationId = Matching(
            field,
            FieldFormats.AllocationId(),
            "is not an Elastic IP allocation id (expected eipalloc- followed by 8-17 hex digits)"
        );
        if (
            allocationId is not null
            && !allocationIds.Claim(allocationId, targetPath, field.Value.Node, field.Value.Path)
        )
            return (false, null);
        return (allocationId is not null, allocationId);
    }

    /// <summary>With BYOIP the addresses stay: the target address is the current one, and it lies in the advertised
    /// range.</summary>
    bool CheckTargetAddress(Field field, IPAddress address, HostRules rules, IPAddress? currentAddress)
    {
        if (rules.Strategy != IpStrategy.Byoip)
            return true;
        var valid = true;
        if (rules.ByoipCidr is { } cidr && !cidr.Contains(address))
        {
            errors.Add(field.Node, field.Path, $"{address} is not inside byoipCidr {cidr}");
            valid = false;
        }
        if (currentAddress is not null && !address.Equals(currentAddress))
        {
            errors.Add(
                field.Node,
                field.Path,
                $"{address} differs from currentAddress {currentAddress}; with ipStrategy byoip the addresses stay, only the host answering on them changes"
            );
            valid = false;
        }
        return valid;
    }

    TestMessageSpec? ReadTestMessage(Field field)
    {
        if (Mapping(field.Node, field.Path, "a test message with from and to") is not { } mapping)
            return null;
        var fields = new MappingReader(mapping, field.Path, TestMessageKeys, errors);
        var from = MailAddress(fields.Required("from"));
        var to = MailAddress(fields.Required("to"));
        return from is not null && to is not null ? new TestMessageSpec(from, to) : null;
    }

    // ---- value readers: each reports its own error and returns null on failure (and on a field already reported
    // missing).

    /// <summary>A non-empty list whose items are all valid; null (reported) otherwise.</summary>
    IReadOnlyList<T>? ReadList<T>(Field? field, string noun, Func<SourceNode, string, T?> readItem)
        where T : class
    {
        if (field is not { } f)
            return null;
        if (f.Node is not SourceSequence sequence)
        {
            errors.Add(f.Node, f.Path, $"expected a list of {noun}s but found {f.Node.KindName}");
            return null;
        }
        if (sequence.Items.Count == 0)
        {
            errors.Add(sequence, f.Path, $"must list at least one {noun}");
            return null;
        }
        var items = sequence.Items.Select((item, index) => readItem(item, $"{f.Path}[{index}]")).ToList();
        return items.All(item => item is not null) ? items.Select(item => item!).ToArray() : null;
    }

    SourceMapping? Mapping(SourceNode node, string path, string expected)
    {
        if (node is SourceMapping mapping)
            return mapping;
        errors.Add(node, path, $"expected {expected} (a mapping) but found {node.KindName}");
        return null;
    }

    string? Text(Field? field)
    {
        if (field is not { } f)
            return null;
        if (f.Node is not SourceScalar scalar)
        {
            errors.Add(f.Node, f.Path, $"expected a single value but found {f.Node.KindName}");
            return null;
        }
        if (scalar.Text.Trim().Length == 0)
        {
            errors.Add(f.Node, f.Path, "must not be empty");
            return null;
        }
        return scalar.Text;
    }

    string? Matching(Field? field, Regex format, string problem)
    {
        if (Text(field) is not { } text)
            return null;
        if (format.IsMatch(text))
            return text;
        errors.Add(field!.Value.Node, field.Value.Path, $"'{text}' {problem}");
        return null;
    }

    TEnum? Enumerated<TEnum>(Field? field, string what)
        where TEnum : struct, Enum
    {
        if (Text(field) is not { } text)
            return null;
        if (WireNames.TryParse<TEnum>(text, out var value))
            return value;
        errors.Add(
            field!.Value.Node,
            field.Value.Path,
            $"'{text}' is not a valid {what} (allowed: {string.Join(", ", WireNames.All<TEnum>())})"
        );
        return null;
    }

    string? DnsName(Field? field)
    {
        if (Text(field) is not { } text)
            return null;
        if (FieldFormats.TryDnsName(text, out var name))
            return name;
        errors.Add(
            field!.Value.Node,
            field.Value.Path,
            $"'{text}' is not a DNS name (letters, digits and hyphens in dot-separated labels of at most 63 characters)"
        );
        return null;
    }

    IPAddress? Ipv4(Field? field)
    {
        if (Text(field) is not { } text)
            return null;
        if (FieldFormats.TryIpv4(text, out var address))
            return address;
        errors.Add(
            field!.Value.Node,
            field.Value.Path,
            $"'{text}' is not an IPv4 address (expected four decimal numbers 0-255, e.g. 203.0.113.10)"
        );
        return null;
    }

    Uri? ReadHttpUrl(Field? field)
    {
        if (Text(field) is not { } text)
            return null;
        if (FieldFormats.TryHttpUrl(text, out var url))
            return url;
        errors.Add(field!.Value.Node, field.Value.Path, $"'{text}' is not an absolute http or https URL");
        return null;
    }

    string? MailAddress(Field? field)
    {
        if (Text(field) is not { } text)
            return null;
        if (FieldFormats.TryMailAddress(text, out var address))
            return address;
        errors.Add(field!.Value.Node, field.Value.Path, $"'{text}' is not a mail address (expected local-part@domain)");
        return null;
    }
}
