namespace CutoverEngine.Sandbox.Ec2;

/// <summary>An EC2 API error as AWS returns it: HTTP status, error code and a message naming the problem.</summary>
public sealed class Ec2Error(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static Ec2Error MissingParameter(string name) =>
        new(400, "MissingParameter", $"The request must contain the parameter {name}");

    public static Ec2Error InvalidParameterValue(string message) => new(400, "InvalidParameterValue", message);

    public static Ec2Error AllocationNotFound(string allocationId) =>
        new(400, "InvalidAllocationID.NotFound", $"The allocation ID '{allocationId}' does not exist");

    public static Ec2Error AddressNotFound(string publicIp) =>
        new(400, "InvalidAddress.NotFound", $"Address '{publicIp}' not found.");

    public static Ec2Error AssociationNotFound(string associationId) =>
        new(400, "InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist");

    public static Ec2Error InstanceNotFound(string instanceId) =>
        new(400, "InvalidInstanceID.NotFound", $"The instance ID '{instanceId}' does not exist");

    /// <summary>What AWS answers a request with DryRun=true that would have succeeded.</summary>
    public static Ec2Error DryRunOperation() =>
        new(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
}
