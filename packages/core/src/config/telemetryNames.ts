// The CloudWatch names the Lambdas publish under and infra's alarms read: one place, so an
// alarm cannot watch a namespace or service nobody writes to.

export const METRICS_NAMESPACE = 'DeliveryHistory';
export const PROJECTOR_SERVICE_NAME = 'delivery-projector';
