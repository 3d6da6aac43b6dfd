export { Detector } from './detector';
