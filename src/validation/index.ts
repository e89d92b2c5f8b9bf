export { ManifestValidator, type ManifestValidatorOptions } from './manifest-validator';
