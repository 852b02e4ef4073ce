/** Gateway API's duration form (GEP-2257): up to four parts of 1-5 digits and a unit, such as `1h30m` or `1s500ms`. */
export const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
