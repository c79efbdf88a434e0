using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using CutoverEngine.Aws.Resilience;

namespace CutoverEngine.Aws.Ec2;

/// <summary>EC2 through AmazonEC2Client (SDK retries off), each call through the account's Polly pipeline.</summary>
public sealed class Ec2Gateway(IEc2ClientFactory clients, AwsCallRunner runner)
    : IElasticIpGateway,
        IByoipGateway,
        IEc2DryRun
{
    // DescribeByoipCidrs requires MaxResults (1-100).
    private const int ByoipPageSize = 100;

    public async Task<IReadOnlyList<ElasticIp>> DescribeAddressesAsync(
        string account,
        IReadOnlyCollection<string>? allocationIds = null,
        CancellationToken cancellationToken = default
    )
    {
        var request = new DescribeAddressesRequest();
        if (allocationIds is { Count: > 0 })
            request.AllocationIds = [.. allocationIds];
        var response = await CallAsync(
                AwsOperations.DescribeAddresses,
                account,
                (ec2, ct) => ec2.DescribeAddressesAsync(request, ct),
                cancellationToken
            )
            .ConfigureAwait(false);
        return (response.Addresses ?? []).Select(ToElasticIp).ToList();
    }

    public async Task<AddressAssociation> AssociateAsync(
        string account,
        string allocationId,
        AddressTarget target,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(allocationId);
        ArgumentNullException.ThrowIfNull(target);
        var current = await GetAddressAsync(account, allocationId, cancellationToken).ConfigureAwait(false);
        if (current.IsAssociatedWith(target))
        {
            runner.RecordAlreadyInPlace(
                AwsOperations.AssociateAddress,
                account,
                $"{allocationId} ({current.PublicIp}) is already associated with {target} ({current.AssociationId})"
            );
            return new AddressAssociation(
                allocationId,
                current.AssociationId!,
                target,
                AlreadyInPlace: true,
                RequestId: null
            );
        }

        var request = new AssociateAddressRequest
        {
            AllocationId = allocationId,
            InstanceId = target.InstanceId,
            NetworkInterfaceId = target.NetworkInterfaceId,
            PrivateIpAddress = target.PrivateIpAddress,
            // Moving an address off the old host is the point of a cutover.
            AllowReassociation = true,
        };
        var response = await CallAsync(
                AwsOperations.AssociateAddress,
                account,
                (ec2, ct) => ec2.AssociateAddressAsync(request, ct),
                cancellationToken
            )
            .ConfigureAwait(false);
        return new AddressAssociation(
            allocationId,
            response.AssociationId,
            target,
            AlreadyInPlace: false,
            response.ResponseMetadata?.RequestId
        );
    }

    public async Task<AddressDisassociation> DisassociateAsync(
        string account,
        string allocationId,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(allocationId);
        var current = await GetAddressAsync(account, allocationId, cancellationToken).ConfigureAwait(false);
        if (!current.IsAssociated)
        {
            runner.RecordAlreadyInPlace(
                AwsOperations.DisassociateAddress,
                account,
                $"{allocationId} ({current.PublicIp}) is not associated"
            );
            return new AddressDisassociation(allocationId, null, AlreadyInPlace: true, RequestId: null);
        }

        try
        {
            var response = await CallAsync(
                    AwsOperations.DisassociateAddress,
                    account,
                    (ec2, ct) =>
                        ec2.DisassociateAddressAsync(
                            new DisassociateAddressRequest { AssociationId = current.AssociationId },
                            ct
                        ),
                    cancellationToken
                )
                .ConfigureAwait(false);
            return new AddressDisassociation(
                allocationId,
                current.AssociationId,
                AlreadyInPlace: false,
                response.ResponseMetadata?.RequestId
            );
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "InvalidAssociationID.NotFound")
        {
            // Gone between our look and our call (e.g. an earlier attempt that succeeded but whose answer was lost).
            runner.RecordAlreadyInPlace(
                AwsOperations.DisassociateAddress,
                account,
                $"{allocationId}: association {current.AssociationId} no longer exists [request id {ex.RequestId}]"
            );
            return new AddressDisassociation(allocationId, current.AssociationId, AlreadyInPlace: true, ex.RequestId);
        }
    }

    public async Task<ReverseDns> GetReverseDnsAsync(
        string account,
        string allocationId,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(allocationId);
        var request = new DescribeAddressesAttributeRequest
        {
            AllocationIds = [allocationId],
            Attribute = AddressAttributeName.DomainName,
        };
        var response = await CallAsync(
                AwsOperations.DescribeAddressesAttribute,
                account,
                (ec2, ct) => ec2.DescribeAddressesAttributeAsync(request, ct),
                cancellationToken
            )
            .ConfigureAwait(false);
        var attribute =
            response.Addresses?.FirstOrDefault(a => a.AllocationId == allocationId)
            ?? throw new AwsServiceException(
                AwsOperations.DescribeAddressesAttribute,
                account,
                "InvalidAllocationID.NotFound",
                $"EC2 returned no domain-name attribute for allocation {allocationId}.",
                400,
                response.ResponseMetadata?.RequestId
            );
        return ToReverseDns(attribute);
    }

    public async Task<ReverseDnsChange> SetReverseDnsAsync(
        string account,
        string allocationId,
        string domainName,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domainName);
        var current = await GetReverseDnsAsync(account, allocationId, cancellationToken).ConfigureAwait(false);
        if (current.Names(domainName))
        {
            runner.RecordAlreadyInPlace(
                AwsOperations.ModifyAddressAttribute,
                account,
                $"{allocationId} ({current.PublicIp}) reverse DNS already names {domainName}"
                    + (current.PendingValue is null ? "" : $" (update {current.PendingStatus})")
            );
            return new ReverseDnsChange(current, AlreadyInPlace: true, RequestId: null);
        }

        var response = await CallAsync(
                AwsOperations.ModifyAddressAttribute,
                account,
                (ec2, ct) =>
                    ec2.ModifyAddressAttributeAsync(
                        new ModifyAddressAttributeRequest { AllocationId = allocationId, DomainName = domainName },
                        ct
                    ),
                cancellationToken
            )
            .ConfigureAwait(false);
        var updated = response.Address is { } a
            ? ToReverseDns(a)
            : current with
            {
                PendingValue = domainName,
                PendingStatus = "pending",
            };
        return new ReverseDnsChange(updated, AlreadyInPlace: false, response.ResponseMetadata?.RequestId);
    }

    public async Task<IReadOnlyList<ByoipRange>> DescribeRangesAsync(
        string account,
        CancellationToken cancellationToken = default
    )
    {
        var ranges = new List<ByoipRange>();
        string? nextToken = null;
        do
        {
            var request = new DescribeByoipCidrsRequest { MaxResults = ByoipPageSize, NextToken = nextToken };
            var response = await CallAsync(
                    AwsOperations.DescribeByoipCidrs,
                    account,
                    (ec2, ct) => ec2.DescribeByoipCidrsAsync(request, ct),
                    cancellationToken
                )
                .ConfigureAwait(false);
            ranges.AddRange((response.ByoipCidrs ?? []).Select(ToRange));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        } while (nextToken is not null);
        return ranges;
    }

    public Task<ByoipRangeChange> AdvertiseAsync(
        string account,
        string cidr,
        CancellationToken cancellationToken = default
    ) =>
        ChangeAdvertisementAsync(
            account,
            cidr,
            AwsOperations.AdvertiseByoipCidr,
            [ByoipStates.Advertised, ByoipStates.PendingAdvertising],
            async (ec2, ct) =>
                await ec2.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = cidr }, ct)
                    .ConfigureAwait(false),
            cancellationToken
        );

    public Task<ByoipRangeChange> WithdrawAsync(
        string account,
        string cidr,
        CancellationToken cancellationToken = default
    ) =>
        ChangeAdvertisementAsync(
            account,
            cidr,
            AwsOperations.WithdrawByoipCidr,
            [ByoipStates.Provisioned, ByoipStates.PendingWithdrawal],
            async (ec2, ct) =>
                await ec2.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = cidr }, ct)
                    .ConfigureAwait(false),
            cancellationToken
        );

    public Task<DryRunResult> DryRunAssociateAsync(
        string account,
        string allocationId,
        AddressTarget target,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(target);
        var request = new AssociateAddressRequest
        {
            AllocationId = allocationId,
            InstanceId = target.InstanceId,
            NetworkInterfaceId = target.NetworkInterfaceId,
            PrivateIpAddress = target.PrivateIpAddress,
            AllowReassociation = true,
            DryRun = true,
        };
        return DryRunAsync(
            AwsOperations.AssociateAddress,
            account,
            (ec2, ct) => ec2.AssociateAddressAsync(request, ct),
            cancellationToken
        );
    }

    public Task<DryRunResult> DryRunAdvertiseAsync(
        string account,
        string cidr,
        CancellationToken cancellationToken = default
    ) =>
        DryRunAsync(
            AwsOperations.AdvertiseByoipCidr,
            account,
            (ec2, ct) => ec2.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = cidr, DryRun = true }, ct),
            cancellationToken
        );

    private async Task<DryRunResult> DryRunAsync<TResponse>(
        AwsOperation operation,
        string account,
        Func<IAmazonEC2, CancellationToken, Task<TResponse>> call,
        CancellationToken cancellationToken
    )
        where TResponse : AmazonWebServiceResponse
    {
        try
        {
            await CallAsync(operation, account, call, cancellationToken).ConfigureAwait(false);
            // EC2 never acts on a dry run; an answer without the DryRunOperation error is not one we know.
            return new DryRunResult(operation, false, "NoDryRunAnswer", "EC2 answered the dry run as a real call");
        }
        catch (AwsServiceException e) when (e.ErrorCode == "DryRunOperation")
        {
            return new DryRunResult(operation, true, e.ErrorCode, e.Message);
        }
        catch (AwsServiceException e)
        {
            return new DryRunResult(operation, false, e.ErrorCode, e.Message);
        }
    }

    private async Task<ByoipRangeChange> ChangeAdvertisementAsync(
        string account,
        string cidr,
        AwsOperation operation,
        string[] doneStates,
        Func<IAmazonEC2, CancellationToken, Task<AmazonWebServiceResponse>> change,
        CancellationToken cancellationToken
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cidr);
        var ranges = await DescribeRangesAsync(account, cancellationToken).ConfigureAwait(false);
        // Checked first because advertise/withdraw may run once per 10 s per account: a wasted call delays the whole
        // wave.
        var current =
            ranges.FirstOrDefault(r => r.Cidr == cidr)
            ?? throw new InvalidOperationException(
                $"BYOIP range {cidr} is not provisioned in account {account} (its ranges: {(ranges.Count == 0 ? "none" : string.Join(", ", ranges.Select(r => $"{r.Cidr} {r.State}")))})."
            );
        if (doneStates.Contains(current.State, StringComparer.Ordinal))
        {
            runner.RecordAlreadyInPlace(operation, account, $"BYOIP range {cidr} is already {current.State}");
            return new ByoipRangeChange(current, AlreadyInPlace: true, RequestId: null);
        }

        var response = await CallAsync(operation, account, change, cancellationToken).ConfigureAwait(false);
        var range = response switch
        {
            AdvertiseByoipCidrResponse a => a.ByoipCidr,
            WithdrawByoipCidrResponse w => w.ByoipCidr,
            _ => null,
        };
        return new ByoipRangeChange(
            range is null ? current : ToRange(range),
            AlreadyInPlace: false,
            response.ResponseMetadata?.RequestId
        );
    }

    private async Task<ElasticIp> GetAddressAsync(
        string account,
        string allocationId,
        CancellationToken cancellationToken
    )
    {
        var addresses = await DescribeAddressesAsync(account, [allocationId], cancellationToken).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AllocationId == allocationId)
            ?? throw new AwsServiceException(
                AwsOperations.DescribeAddresses,
                account,
                "InvalidAllocationID.NotFound",
                $"The allocation ID '{allocationId}' does not exist",
                400,
                requestId: null
            );
    }

    /// <summary>One call through the pipeline; the SDK's own retries are off, so each pipeline attempt is one
    /// request.</summary>
    private Task<TResponse> CallAsync<TResponse>(
        AwsOperation operation,
        string account,
        Func<IAmazonEC2, CancellationToken, Task<TResponse>> call,
        CancellationToken cancellationToken
    )
        where TResponse : AmazonWebServiceResponse =>
        runner.RunAsync(
            operation,
            account,
            async ct =>
            {
                var response = await Invoke(account, operation, ec2 => call(ec2, ct)).ConfigureAwait(false);
                return new AwsReply<TResponse>(
                    response,
                    (int)response.HttpStatusCode,
                    response.ResponseMetadata?.RequestId
                );
            },
            cancellationToken
        );

    private async Task<T> Invoke<T>(string account, AwsOperation operation, Func<IAmazonEC2, Task<T>> call)
    {
        try
        {
            return await call(clients.For(account)).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is null && (int)ex.StatusCode == 0)
        {
            // No answer at all: the SDK wraps the transport failure; the runner classifies it from the inner chain.
            throw ex.InnerException ?? ex;
        }
        catch (AmazonServiceException ex)
        {
            var status = (int)ex.StatusCode;
            var code = ex.ErrorCode ?? (status >= 500 ? "ServiceUnavailable" : "UnknownError");
            throw new AwsServiceException(operation, account, code, ex.Message, status, ex.RequestId, ex);
        }
    }

    private static ElasticIp ToElasticIp(Address a) =>
        new(
            a.AllocationId,
            a.PublicIp,
            NullIfEmpty(a.AssociationId),
            NullIfEmpty(a.InstanceId),
            NullIfEmpty(a.NetworkInterfaceId),
            NullIfEmpty(a.PrivateIpAddress),
            NullIfEmpty(a.PublicIpv4Pool)
        );

    private static ReverseDns ToReverseDns(AddressAttribute a) =>
        new(
            a.AllocationId,
            a.PublicIp,
            NullIfEmpty(a.PtrRecord),
            NullIfEmpty(a.PtrRecordUpdate?.Value),
            NullIfEmpty(a.PtrRecordUpdate?.Status)
        );

    private static ByoipRange ToRange(ByoipCidr c) => new(c.Cidr, c.State?.Value ?? "", NullIfEmpty(c.StatusMessage));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
